#!/usr/bin/env bash
# Start-up costs of a unix unikernel, each beside /bin/true in the same run:
# stripped size of dist/hello, peak memory of ./dist/hello, exec-to-exit
# time of dist/noop; and `mirage configure && make` time for hello.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIRAGE="$ROOT/build/bin/mirage"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for ex in noop hello; do
    cp -r "$ROOT/examples/$ex" "$tmp/$ex"
done

cd "$tmp/hello"
start=$(date +%s%N)
"$MIRAGE" configure -t unix >/dev/null
make -s >/dev/null
end=$(date +%s%N)
echo "configure + make (hello, clean dir): $(((end - start) / 1000000)) ms"

strip -o "$tmp/hello.stripped" dist/hello
strip -o "$tmp/true.stripped" /bin/true
hs=$(stat -c %s "$tmp/hello.stripped")
ts=$(stat -c %s "$tmp/true.stripped")
echo "stripped size: hello $hs bytes, /bin/true $ts bytes, ratio $(awk "BEGIN{printf \"%.2f\", $hs/$ts}")"

hm=$(/usr/bin/time -f %M ./dist/hello --logs=quiet 2>&1 >/dev/null | tail -n 1)
tm=$(/usr/bin/time -f %M /bin/true 2>&1 >/dev/null | tail -n 1)
echo "peak memory (max RSS): hello $hm KiB, /bin/true $tm KiB, ratio $(awk "BEGIN{printf \"%.2f\", $hm/$tm}")"

cd "$tmp/noop"
"$MIRAGE" configure -t unix >/dev/null
make -s >/dev/null
hyperfine -N --warmup 20 --runs 500 --export-json "$tmp/h.json" \
    ./dist/noop /bin/true >/dev/null 2>&1
python3 - "$tmp/h.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
n, t = r["./dist/noop"], r["/bin/true"]
print(f"exec to exit: noop {n*1e6:.0f} us, /bin/true {t*1e6:.0f} us, ratio {n/t:.2f}")
PY
