#!/usr/bin/env bash
# Every combinator of the device catalogue, on every target: the list
# comes from the public headers (include/mirage/config/*.h, read by
# examples.py), so a new combinator cannot be missed. Each must show at
# least one example in its doc comment; each example is configured (with
# its configure arguments) in one config.c on every installed target:
# where it is supported, the generated image must compile and link; where
# it is not (its "(unix)" list), configure must fail with an error
# naming config.c and the target (the line of the example, or of an
# earlier one making the same device: equal devices are one).
. "$(dirname "$0")/../lib.sh"
scratch
app=$T_TMP/catalogue
mkdir -p "$app/t"
echo foo >"$app/t/secret"
cd "$app" || exit 1

mapfile -t names < <(python3 "$ROOT/test/catalogue/examples.py" \
    "$ROOT"/include/mirage/config/*.h | sed -n 's/^combinator //p')
mapfile -t examples < <(python3 "$ROOT/test/catalogue/examples.py" \
    "$ROOT"/include/mirage/config/*.h | sed -n 's/^example\t//p')
targets=()
for mk in "$ROOT"/build/lib/mirage/*/target.mk; do
    targets+=("$(basename "$(dirname "$mk")")")
done
plan $((${#names[@]} + ${#examples[@]} * ${#targets[@]}))

# Every combinator has an example.
for n in "${names[@]}"; do
    found=no
    for e in "${examples[@]}"; do
        IFS=$'\t' read -r _ en _ _ _ <<<"$e"
        [ "$en" = "$n" ] && found=yes
    done
    if [ $found = yes ]; then pass "catalogue_${n}_has_example"; else
        fail "catalogue_${n}_has_example" \
            "no 'Example:' line for $n in include/mirage/config/"
    fi
done

# One config.c: the key --example chooses which example is the job (a
# device becomes the extra dependency of a job doing nothing).
{
    echo '#include <mirage/config.h>'
    echo 'static impl *use(impl *d)'
    echo '{'
    echo '    return impl("use", job, .extra_deps = deps(d));'
    echo '}'
    echo 'int main(int argc, char **argv)'
    echo '{'
    printf '    key *k = key_enum("example", "e0", "The example to build."'
    for i in "${!examples[@]}"; do printf ', "e%d"' "$i"; done
    echo ');'
    echo '    impl *j = match_impl(key_value(k), noop(),'
} >config.c
first_line=$(($(wc -l <config.c) + 1))
for i in "${!examples[@]}"; do
    IFS=$'\t' read -r kind _ _ _ expr <<<"${examples[$i]}"
    sep=,
    [ "$i" -eq $((${#examples[@]} - 1)) ] && sep=');'
    if [ "$kind" = job ]; then
        printf '        match_case("e%d", %s)%s\n' "$i" "$expr" "$sep"
    else
        printf '        match_case("e%d", use(%s))%s\n' "$i" "$expr" "$sep"
    fi
done >>config.c
cat >>config.c <<'EOF'
    return mirage_register(argc, argv, "catalogue", jobs(j));
}
EOF

for i in "${!examples[@]}"; do
    IFS=$'\t' read -r _ name args supported expr <<<"${examples[$i]}"
    last_line=$((first_line + i))
    [ "$args" = - ] && args=
    for t in "${targets[@]}"; do
        case_name="catalogue_${name}_${i}_${t}"
        # shellcheck disable=SC2086 # args: several words
        out=$("$MIRAGE" configure -t "$t" --example="e$i" $args 2>&1)
        rc=$?
        if [ "$supported" = - ] || [[ " $supported " == *" $t "* ]]; then
            if [ $rc -ne 0 ]; then
                fail "$case_name" "configure: $(printf '%s' "$out" | tail -n 3)"
            elif ! out=$(make 2>&1); then
                fail "$case_name" "make: $(printf '%s' "$out" | tail -n 5)"
            else
                pass "$case_name"
            fi
        elif [ $rc -eq 1 ] && line=$(printf '%s\n' "$out" | sed -nE \
            "s/^config\\.c:([0-9]+): error: .*(not supported on target '$t'|target '$t' does not support).*/\\1/p") &&
            [ -n "$line" ] && [ "$line" -ge "$first_line" ] &&
            [ "$line" -le "$last_line" ]; then
            pass "${case_name}_refused"
        else
            fail "${case_name}_refused" \
                "expected a config.c error for target $t, got status $rc: $out"
        fi
    done
done
finish
