#!/usr/bin/env bash
# spt guests under mirage-spt: output, arguments, exit status, clocks,
# heap, entropy, abort and a fault.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/spt.bash"
plan 23
scratch
spt_require spt_guests_built "$IMG/noop.spt" "$IMG/probe.spt"

"$SPT" "$IMG/noop.spt"
expect spt_noop_status 0 $?

out=$("$SPT" "$IMG/probe.spt" args one 'two words' "--x='a b'" 'q"u"o' 2>&1)
expect spt_args_status 0 $?
expect spt_args_output "$(printf 'one\ntwo\nwords\n--x=a b\nquo\nspt')" "$out"

out=$("$SPT" -- "$IMG/probe.spt" args "'unterminated" 2>&1)
expect spt_bad_cmdline_status 64 $?
expect_match spt_bad_cmdline_message '^spt: command line: unterminated quote' "$out"

for n in 0 7 255; do
    "$SPT" "$IMG/probe.spt" exit $n
    expect "spt_exit_$n" $n $?
done

out=$("$SPT" "$IMG/probe.spt" clocks 2>&1)
expect spt_clocks "0 clocks ok" "$? $out"

out=$("$SPT" --mem=4 "$IMG/probe.spt" heap 2>&1)
expect spt_heap_small "0 heap ok" "$? $out"
out=$("$SPT" --mem=2 "$IMG/probe.spt" heap 2>&1)
expect spt_heap_2mib "0 heap ok" "$? $out"
out=$("$SPT" --mem=2 "$IMG/big.spt" 2>&1)
expect spt_heap_no_room "255 spt: memory: no room for the heap" "$? $out"
out=$("$SPT" --mem=3 "$IMG/big.spt" 2>&1)
expect spt_big_3mib "0 big ok" "$? $out"

# The CPU's RDRAND or RDSEED, when CPUID reports one, is the source.
out=$("$SPT" "$IMG/probe.spt" entropy 2>&1)
expect spt_entropy_status 0 $?
if [ "$(cpu_entropy)" = yes ]; then
    expect spt_entropy_output "$(printf 'entropy yes\nentropy fresh')" "$out"
else
    expect spt_entropy_output "entropy no" "$out"
fi

# No room for the guest's memory (the address-space limit is below it).
out=$(ulimit -v 262144 && "$SPT" --mem=512 "$IMG/probe.spt" exit 0 2>&1)
expect spt_no_guest_memory "1 mirage-spt: cannot map 512 MiB of guest memory at 0x10000: Cannot allocate memory" "$? $out"

"$SPT" "$IMG/probe.spt" abort
expect spt_abort 255 $?

# A write to the read-only text: the tender reports the fault in one line
# on stderr and exits 255 (Solo5's spt dies of SIGSEGV without a word).
out=$("$SPT" "$IMG/probe.spt" fault 2>&1)
expect spt_fault_status 255 "$?"
expect_match spt_fault_report \
    "^mirage-spt: guest fault: SIGSEGV at rip 0x[0-9a-f]+, address 0x[0-9a-f]+$" "$out"

# Guard pages (MirageC's extension, granted): the boot stack has one just
# above the heap, and a guarded heap page faults at its address.
out=$("$SPT" --mem=32 "$IMG/probe.spt" guard 2>&1)
expect spt_guard_status 255 "$?"
expect spt_guard_granted "boot guard yes guard yes" \
    "$(printf '%s\n' "$out" | head -n 2 | tr '\n' ' ' | sed 's/ $//')"
page=$(printf '%s\n' "$out" | sed -n 's/.*address \(0x[0-9a-f]*\)$/\1/p')
expect spt_guard_fault_at_page yes \
    "$([ -n "$page" ] && [ $((page % 4096)) -eq 0 ] && echo yes)"
# The same image with its EXT1 note renamed, as Solo5's tenders see it:
# no guard pages (the guest does not even try the system call).
python3 "$ROOT/test/tender/unext.py" "$IMG/probe.spt" "$T_TMP/probe-plain.spt"
out=$("$SPT" --mem=32 "$T_TMP/probe-plain.spt" guard 2>&1)
expect spt_guard_not_granted "0 boot guard no guard no" \
    "$? $(printf '%s\n' "$out" | tr '\n' ' ' | sed 's/ $//')"
finish
