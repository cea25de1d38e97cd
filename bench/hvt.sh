#!/usr/bin/env bash
# hvt start-up costs, beside /bin/true in the same run: exec-to-exit time
# of mirage-hvt running a trivial guest that only halts
# (build/test-images/halt.hvt), examples/noop, and examples/hello with its
# sleeps removed; the VM exits and hypercalls each boot makes
# and the guest instructions it runs (MIRAGE_HVT_STATS); the images'
# sizes. On a host where guest
# instructions are emulated (nested KVM), the times are the tender's and
# KVM's cost, not guest speed: compare exit counts across changes.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIRAGE="$ROOT/build/bin/mirage"
HVT="$ROOT/build/bin/mirage-hvt"
if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
    echo "hvt bench skipped: /dev/kvm is not usable"
    exit 0
fi
make -C "$ROOT" -s build/bin/mirage-hvt hvt-test-images >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$ROOT/build/test-images/halt.hvt" "$tmp/halt.hvt"
for ex in noop hello; do
    cp -r "$ROOT/examples/$ex" "$tmp/$ex"
done
sed -i "s/mirage_time_sleep_ns(time, MIRAGE_SEC(1));/(void)time;/" "$tmp/hello/unikernel.c"
for ex in noop hello; do
    (cd "$tmp/$ex" && "$MIRAGE" configure -t hvt >/dev/null && make -s >/dev/null)
    cp "$tmp/$ex/dist/$ex.hvt" "$tmp/$ex.hvt"
done

echo "image sizes (bytes, file / stripped / loaded memory):"
for img in halt noop hello; do
    strip -o "$tmp/$img.stripped" "$tmp/$img.hvt"
    mem=0
    for m in $(readelf -lW "$tmp/$img.hvt" | awk '$1 == "LOAD" { print $6 }'); do
        mem=$((mem + m))
    done
    echo "  $img.hvt: $(stat -c %s "$tmp/$img.hvt") / $(stat -c %s "$tmp/$img.stripped") / $mem"
done

echo "VM exits, hypercalls and guest instructions per boot:"
for img in halt noop hello; do
    MIRAGE_HVT_STATS=instructions "$HVT" "$tmp/$img.hvt" 2>&1 >/dev/null |
        sed -n "s/^mirage-hvt: stats: /  $img.hvt: /p"
done

cd "$tmp"
hyperfine -N --warmup 10 --runs 200 --export-json "$tmp/h.json" \
    "$HVT halt.hvt" "$HVT noop.hvt" "$HVT hello.hvt" /bin/true >/dev/null 2>&1
python3 - "$tmp/h.json" "$HVT" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
t = r["/bin/true"]["mean"]
print("exec to exit (mean, stddev; ratio to /bin/true):")
for name in ["halt", "noop", "hello"]:
    x = r[f"{sys.argv[2]} {name}.hvt"]
    print(f"  {name}.hvt: {x['mean']*1e3:.2f} ms, {x['stddev']*1e3:.2f} ms; "
          f"ratio {x['mean']/t:.1f}")
print(f"  /bin/true: {t*1e3:.3f} ms")
PY
