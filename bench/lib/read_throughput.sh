# Sourced by the read benchmarks (bench/fat_read.sh, bench/tar_read.sh):
# read_throughput APP LABEL FILE IMAGE measures `cat FILE` on the host (best
# of three), then builds the unikernel bench/APP on unix and on spt (where
# installed), runs it three times over IMAGE (the block device "storage")
# and prints its best throughput beside the host's. APP logs
# "APP: ... N KiB/s ..."; a run without that line skips its target with the
# last line it printed. FILE is 64 MiB. Needs ROOT (the tree) and tmp (a
# scratch folder).
read_throughput() {
    local app=$1 label=$2 file=$3 image=$4
    local host=0 best kib out s e t
    local run=()
    cat "$file" "$image" >/dev/null # warm the page cache
    for _ in 1 2 3; do
        s=$(date +%s%N)
        cat "$file" >/dev/null
        e=$(date +%s%N)
        kib=$(((64 << 20) / 1024 * 1000000000 / (e - s)))
        [ "$kib" -gt "$host" ] && host=$kib
    done
    for t in unix spt; do
        [ -f "$ROOT/build/lib/mirage/$t/target.mk" ] || continue
        rm -rf "$tmp/app"
        cp -r "$ROOT/bench/$app" "$tmp/app"
        (cd "$tmp/app" && "$ROOT/build/bin/mirage" configure -t "$t" >/dev/null &&
            make -s >/dev/null)
        if [ "$t" = unix ]; then
            cp "$image" "$tmp/app/disk.img"
            run=(./dist/"$app")
        else
            run=("$ROOT/build/bin/mirage-$t" --block:storage="$image"
                dist/"$app.$t")
        fi
        best=0
        for _ in 1 2 3; do
            out=$(cd "$tmp/app" && "${run[@]}" 2>&1 || true)
            kib=$(printf '%s' "$out" |
                sed -n "s/.*$app: .* \([0-9]*\) KiB\/s.*/\1/p")
            if [ -z "$kib" ]; then
                echo "$app on $t did not run: $(printf '%s' "$out" | tail -n 1)"
                continue 2
            fi
            [ "$kib" -gt "$best" ] && best=$kib
        done
        echo "64 MiB from $label on $t: $best KiB/s; cat on the host:" \
            "$host KiB/s; ratio $(awk "BEGIN{printf \"%.3f\", $best/$host}")"
    done
}
