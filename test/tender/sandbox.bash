# Shared by the hvt and spt tests (sourced after test/lib.sh; not a test
# itself): watching a running tender's sandbox.

# seccomp_mode PID: print the Seccomp mode of process PID (2: a filter)
# once it is 2, or whatever it is after about 10 seconds.
seccomp_mode() {
    local mode=
    for _ in $(seq 100); do
        mode=$(awk '/^Seccomp:/ {print $2}' "/proc/$1/status" 2>/dev/null)
        [ "$mode" = 2 ] && break
        sleep 0.1
    done
    printf '%s\n' "$mode"
}
