# Shared by the hvt tests (sourced after test/lib.sh; not a test itself):
# the tender, the test images, and whether this host can run KVM guests.
HVT="$ROOT/build/bin/mirage-hvt"
IMAGES="$ROOT/build/test-images"

# Skip the planned cases and finish when KVM guests cannot run here.
hvt_require_kvm() {
    if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
        skip_rest "hvt_$(basename "$0" .sh)" "/dev/kvm is not usable"
    fi
    if ! [ -x "$HVT" ] || ! [ -f "$IMAGES/halt.hvt" ]; then
        fail "hvt build" "run: make build/bin/mirage-hvt hvt-test-images"
        finish
    fi
}

# run_hvt ARGS...: run the tender with a time limit; sets OUT (stdout and
# stderr) and RC.
run_hvt() {
    OUT=$(timeout 60 "$HVT" "$@" 2>&1)
    RC=$?
}
