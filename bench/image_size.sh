#!/usr/bin/env bash
# Image sizes: examples hello, ping and echo built for every installed
# target, each image's file size and stripped size, beside the stripped
# size of /bin/true measured in the same run. `IMAGE_SIZE_LIBS=1` also
# prints the libraries each image's Makefile links.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIRAGE="$ROOT/build/bin/mirage"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
strip -o "$tmp/true" /bin/true
ref=$(stat -c %s "$tmp/true")
echo "reference: /bin/true stripped, $ref bytes"
printf '%-6s %-7s %10s %10s %8s\n' image target file stripped "vs true"
for ex in hello ping echo; do
    for t in unix hvt spt virtio; do
        [ -f "$ROOT/build/lib/mirage/$t/target.mk" ] || continue
        rm -rf "$tmp/$ex"
        cp -r "$ROOT/examples/$ex" "$tmp/$ex"
        (cd "$tmp/$ex" && "$MIRAGE" configure -t "$t" >/dev/null &&
            make -s >/dev/null 2>&1)
        img=$tmp/$ex/dist/$ex
        [ "$t" = unix ] || img=$img.$t
        strip -o "$tmp/stripped" "$img"
        f=$(stat -c %s "$img")
        s=$(stat -c %s "$tmp/stripped")
        printf '%-6s %-7s %10s %10s %8s\n' "$ex" "$t" "$f" "$s" \
            "$(awk "BEGIN{printf \"%.2f\", $s/$ref}")"
        if [ -n "${IMAGE_SIZE_LIBS:-}" ]; then
            sed -n 's/^MIRAGE_LIBS := /    links: /p' "$tmp/$ex/Makefile"
        fi
    done
done
