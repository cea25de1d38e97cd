#!/usr/bin/env bash
# Installs a built tree: install.sh BUILD_DIR DEST. DEST gets the layout the
# tool expects around itself: bin/, include/, lib/mirage/.
set -eu
build=$1
dest=$2
src=$(cd "$(dirname "$0")/.." && pwd)
install -d "$dest/bin" "$dest/include" "$dest/lib/mirage"
for f in "$build"/bin/*; do
    install -m 755 "$f" "$dest/bin/"
done
cp -R "$src/include/mirage" "$dest/include/"
(cd "$build/lib/mirage" && find . -type f) | while read -r f; do
    install -D -m 644 "$build/lib/mirage/$f" "$dest/lib/mirage/$f"
done
echo "installed into $dest"
