#!/usr/bin/env bash
# The spt target's costs, each beside a reference from the same run:
# exec-to-exit time of noop.spt under mirage-spt beside /bin/true (goal:
# within 0.3 ms), peak memory of mirage-spt running hello.spt beside
# /bin/true, and the seccomp filter's length in BPF instructions for a
# guest without devices and one with a network and a block device.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIRAGE="$ROOT/build/bin/mirage"
SPT="$ROOT/build/bin/mirage-spt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for ex in noop hello; do
    cp -r "$ROOT/examples/$ex" "$tmp/$ex"
    (cd "$tmp/$ex" && "$MIRAGE" configure -t spt >/dev/null && make -s >/dev/null)
done
noop="$tmp/noop/dist/noop.spt"
hello="$tmp/hello/dist/hello.spt"

hyperfine -N --warmup 50 --runs 1000 --export-json "$tmp/h.json" \
    "$SPT $noop" /bin/true >/dev/null 2>&1
python3 - "$tmp/h.json" <<'PY'
import json, sys
r = [x["median"] for x in json.load(open(sys.argv[1]))["results"]]
n, t = r
print(f"exec to exit (median): mirage-spt noop.spt {n*1e6:.0f} us, "
      f"/bin/true {t*1e6:.0f} us, difference {(n-t)*1e6:.0f} us, "
      f"ratio {n/t:.2f}")
PY

hm=$(/usr/bin/time -f %M "$SPT" "$hello" 2>&1 >/dev/null | tail -n 1)
tm=$(/usr/bin/time -f %M /bin/true 2>&1 >/dev/null | tail -n 1)
echo "peak memory (max RSS): mirage-spt hello.spt $hm KiB, /bin/true $tm KiB, ratio $(awk "BEGIN{printf \"%.2f\", $hm/$tm}")"

MIRAGE_SPT_BPF_OUT="$tmp/noop.bpf" "$SPT" "$noop"
truncate -s 8192 "$tmp/disk"
# The network device's descriptor: a pipe stands in for a tap (the filter
# is the same; the guest only acquires the devices and exits).
MIRAGE_SPT_BPF_OUT="$tmp/dev.bpf" "$SPT" --net:service=@3 \
    --block:storage="$tmp/disk" "$ROOT/build/test-images/devices.spt" \
    >/dev/null 3< <(sleep 5)
echo "seccomp filter: $(($(stat -c %s "$tmp/noop.bpf") / 8)) BPF instructions" \
    "without devices, $(($(stat -c %s "$tmp/dev.bpf") / 8)) with a network" \
    "and a block device"
