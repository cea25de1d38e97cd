#!/usr/bin/env bash
# mirage-hvt's sandbox, as test/spt/sandbox.sh checks spt's: once the VM
# is set up the running tender has a seccomp filter, no-new-privileges,
# and only its own descriptors (stdout, stderr, the VM and the vCPU: none
# inherited, not even stdin). A forbidden system call made in the running
# tender (injected with gdb) kills it with SIGSYS (status 128 + 31), while
# an allowed one (a write to stdout) does not.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/kvm.bash"
source "$(dirname "$0")/../tender/sandbox.bash"
plan 9
hvt_require_kvm
scratch

# sleeper: start a guest that sleeps, with descriptors 3 and 7 open for
# it not to inherit; sets PID once the filter is in place.
sleeper() {
    "$HVT" "$IMAGES/hello.hvt" --sleep-ms=30000 >/dev/null 2>&1 \
        3</dev/null 7>"$T_TMP/extra" &
    PID=$!
    MODE=$(seccomp_mode "$PID")
}

# inject NAME CALL ARGS: make the tender call syscall(CALL, ARGS) through
# gdb, then print its exit status (or "alive" if it survived).
inject() {
    sleeper
    timeout 60 gdb -p "$PID" -batch \
        -ex "call (long)syscall($2)" >"$T_TMP/gdb-$1" 2>&1
    if kill -0 "$PID" 2>/dev/null; then
        echo alive
        kill "$PID"
        wait "$PID" 2>/dev/null
    else
        wait "$PID"
        echo $?
    fi
}

sleeper
expect hvt_seccomp_filter_mode 2 "$MODE"
expect hvt_no_new_privs 1 "$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$PID/status")"
kinds=$(for fd in $(ls "/proc/$PID/fd" | sort -n); do
    readlink "/proc/$PID/fd/$fd"
done | sed 's/^\/dev\/null$/null/' | tr '\n' ' ')
expect hvt_descriptors "null null anon_inode:kvm-vm anon_inode:kvm-vcpu:0 " \
    "$kinds"
expect hvt_descriptors_standard "1 2" \
    "$(ls "/proc/$PID/fd" | sort -n | head -n 2 | tr '\n' ' ' | sed 's/ $//')"
kill "$PID"
wait "$PID" 2>/dev/null

expect hvt_allowed_write_survives alive "$(inject write '1, 1, 0, 0')"
expect hvt_sigsys_getpid 159 "$(inject getpid 39)"
expect hvt_sigsys_socket 159 "$(inject socket '41, 2, 1, 0')"
expect hvt_sigsys_openat 159 "$(inject openat '257, -100, 0, 0')"
expect hvt_sigsys_execve 159 "$(inject execve '59, 0, 0, 0')"
finish
