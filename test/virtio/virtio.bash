# Helpers for the virtio tests (sourced, not run by test/run): the test
# images, mirage-virtio, and a check that QEMU is there. QEMU runs the
# guests under TCG (this machine's nested KVM cannot run them, see the
# README); MIRAGE_VIRTIO_ACCEL=kvm uses KVM instead where it works.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
IMAGES="$ROOT/build/test-images"
VIRTIO="$ROOT/build/bin/mirage-virtio"
ACCEL=${MIRAGE_VIRTIO_ACCEL:-tcg}

# virtio_require_qemu NAME: skip the rest of the plan as NAME when QEMU
# is not installed; else say which accelerator the guests run under.
virtio_require_qemu() {
    command -v qemu-system-x86_64 >/dev/null ||
        skip_rest "$1" "qemu-system-x86_64 is not installed"
    echo "note: QEMU accelerator: $ACCEL"
}

# run_virtio ARGS...: mirage-virtio under a time limit; sets OUT and RC.
run_virtio() {
    OUT=$(timeout 120 "$VIRTIO" --accel="$ACCEL" "$@" 2>&1)
    RC=$?
}
