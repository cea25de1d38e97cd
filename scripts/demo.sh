#!/usr/bin/env bash
# `make demo`: configures, builds and runs examples/hello on the best
# target this machine has: hvt when /dev/kvm is usable and the hvt target
# is installed, else spt when installed, else unix. Works on a copy of the
# example in a temporary directory, so the tree stays clean. Exits with the
# unikernel's status (0); a guest still running after 5 minutes is stopped.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
mirage=$build/bin/mirage

installed() { [ -f "$build/lib/mirage/$1/target.mk" ] && [ -x "$build/bin/mirage-$1" ]; }
if installed hvt && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
    target=hvt run=("$build/bin/mirage-hvt" dist/hello.hvt)
elif installed spt; then
    target=spt run=("$build/bin/mirage-spt" dist/hello.spt)
else
    target=unix run=(./dist/hello)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mirage-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples/hello" "$work/"
cd "$work/hello"
echo "demo: examples/hello on target $target (in $work/hello)"
echo "\$ mirage configure -t $target"
"$mirage" configure -t "$target"
echo "\$ make"
make --no-print-directory -s
echo "\$ ${run[*]}"
timeout 300 "${run[@]}"
