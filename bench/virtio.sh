#!/usr/bin/env bash
# The virtio target on this machine, each number beside a reference
# measured in the same run: boot-to-exit time of examples/noop under QEMU
# microvm (PVH, QEMU started directly) and q35, beside the same noop under
# mirage-hvt; the image sizes beside the hvt image; and TCP throughput of
# examples/speed over virtio-net (QEMU microvm, a tap in a namespace)
# beside the same unikernel on spt, through bench/tcp.sh
# (TCP_BENCH_BYTES, default 64 MiB here): rows "virtio" and "virtio6"
# with the offloads QEMU's device grants (checksums and TSO), "virtio-bare"
# without (--net-offload=false). QEMU runs the guest under TCG
# unless MIRAGE_VIRTIO_ACCEL=kvm; with TCG and a usable /dev/kvm, the
# microvm boot is also timed under KVM.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIRAGE="$ROOT/build/bin/mirage"
ACCEL=${MIRAGE_VIRTIO_ACCEL:-tcg}
if ! command -v qemu-system-x86_64 >/dev/null; then
    echo "virtio bench skipped: qemu-system-x86_64 is not installed"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
targets=(virtio)
[ -r /dev/kvm ] && [ -w /dev/kvm ] && targets+=(hvt)
for t in "${targets[@]}"; do
    rm -rf "$tmp/noop" && cp -r "$ROOT/examples/noop" "$tmp/noop"
    (cd "$tmp/noop" && "$MIRAGE" configure -t "$t" >/dev/null && make -s >/dev/null)
    cp "$tmp/noop/dist/noop.$t" "$tmp/noop.$t"
done

echo "image sizes (bytes, file / stripped):"
for t in "${targets[@]}"; do
    strip -o "$tmp/noop.$t.stripped" "$tmp/noop.$t"
    echo "  noop.$t: $(stat -c %s "$tmp/noop.$t") / $(stat -c %s "$tmp/noop.$t.stripped")"
done

qemu="qemu-system-x86_64 -accel $ACCEL -m 128 -nodefaults -no-user-config"
qemu="$qemu -display none -serial stdio -no-reboot -device isa-debug-exit"
cmds=("$qemu -M microvm,acpi=off -kernel $tmp/noop.virtio"
    "$qemu -M q35 -kernel $tmp/noop.virtio")
names=("QEMU microvm ($ACCEL)" "QEMU q35 ($ACCEL)")
if [ -f "$tmp/noop.hvt" ]; then
    cmds+=("$ROOT/build/bin/mirage-hvt $tmp/noop.hvt")
    names+=("mirage-hvt (hvt)")
    if [ "$ACCEL" = tcg ]; then
        cmds+=("${cmds[0]/-accel tcg/-accel kvm}")
        names+=("QEMU microvm (kvm)")
    fi
fi
# QEMU exits 1 for the guest's status 0: -i ignores the status.
hyperfine -N -i --warmup 2 --runs 10 --export-json "$tmp/h.json" \
    "${cmds[@]}" >/dev/null 2>&1
python3 - "$tmp/h.json" "${names[@]}" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
names = sys.argv[2:]
ref = r[2]["mean"] if len(r) > 2 else None
print("boot to exit, noop (mean, stddev; ratio to hvt):")
for name, x in zip(names, r):
    ratio = f"; ratio {x['mean'] / ref:.2f}" if ref else ""
    print(f"  {name}: {x['mean']*1e3:.1f} ms, {x['stddev']*1e3:.1f} ms{ratio}")
PY

echo "TCP over tap, examples/speed: spt and virtio (QEMU microvm, $ACCEL):"
TCP_BENCH_TARGETS="spt virtio" TCP_BENCH_BYTES=${TCP_BENCH_BYTES:-67108864} \
    MIRAGE_VIRTIO_ACCEL=$ACCEL bash "$ROOT/bench/tcp.sh"
