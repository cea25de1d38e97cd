#!/usr/bin/env bash
# Every tender rejects broken images and manifests, each with its one-line
# message and status 1, and never crashes: ELF header and segment errors,
# missing or malformed notes, bad manifests (test/tender/mkbad.py makes
# them from a good image).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tenders.bash"
# For each tender: the 39 broken images test/tender/mkbad.py makes, and 3
# more; then one case comparing the tenders.
tenders_plan $((39 + 3)) 1
tenders_require
scratch
while read -r tender target; do
    dir="$T_TMP/$tender"
    list=$(make_bad_images "$target" "$dir") ||
        { fail "${tender}_mkbad" "mkbad.py failed"; continue; }
    while IFS=$'\t' read -r name regex; do
        out=$(cd "$dir" && "$tender" "$name" 2>&1)
        rc=$?
        # (wrong_target names each tender's own target)
        [ "$name" = wrong_target ] ||
            printf '%s %s\n' "$rc" "${out#"$tender: "}" >>"$T_TMP/messages.$tender"
        lines=$(printf '%s\n' "$out" | wc -l)
        if [ $rc -eq 1 ] && [ "$lines" -eq 1 ] &&
            printf '%s' "$out" | grep -Eq -- "^$tender: .*$regex"; then
            pass "${tender}_rejects_$name"
        else
            fail "${tender}_rejects_$name" "status $rc, output [$out], want /$regex/"
        fi
    done <<<"$list"
    # The unbroken image gets past validation to the device checks.
    out=$("$tender" "$dir/good" 2>&1)
    expect "${tender}_good_image_validates" \
        "1 $tender: network device 'service' is not attached (use --net:service=...)" \
        "$? $out"
    out=$("$tender" "$dir/missing" 2>&1)
    expect_match "${tender}_missing_image" "^$tender: .*/missing: No such file or directory$" "$out"
    out=$("$tender" "$T_TMP" 2>&1)
    expect_match "${tender}_directory_image" "^$tender: .*: not a regular file$" "$out"
done <<<"$(tenders)"
# Both tenders say the same thing about the same broken image.
if [ "$(tenders | wc -l)" -lt 2 ]; then
    skip tenders_same_messages "only one tender is built"
elif cmp -s "$T_TMP/messages.mirage-spt" "$T_TMP/messages.mirage-hvt"; then
    pass tenders_same_messages
else
    fail tenders_same_messages "$(diff "$T_TMP/messages.mirage-spt" \
        "$T_TMP/messages.mirage-hvt" | head -n 5)"
fi
finish
