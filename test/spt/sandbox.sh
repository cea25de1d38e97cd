#!/usr/bin/env bash
# The spt sandbox holds: each forbidden system call kills the guest with
# SIGSYS (status 128 + 31), and a running guest has no-new-privileges, a
# seccomp filter and only its own descriptors.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/spt.bash"
. "$(dirname "$0")/../tender/sandbox.bash"
plan 16
spt_require spt_sandbox_built "$IMG/probe.spt" "$IMG/block.spt"
scratch

for call in open socket mmap write0 fork mprotect-exec mprotect-high; do
    out=$("$SPT" "$IMG/probe.spt" "$call" 2>&1)
    expect "spt_sigsys_$call" "159 " "$? $out"
done

# The filter as loaded, written out on request: whole BPF instructions;
# the guest then runs as usual (its exit status comes through).
MIRAGE_SPT_BPF_OUT="$T_TMP/filter" "$SPT" "$IMG/probe.spt" exit 3
rc=$?
size=$(stat -c %s "$T_TMP/filter" 2>/dev/null || echo 0)
expect spt_filter_dump "3 yes" "$rc $([ "$size" -gt 80 ] && [ $((size % 8)) -eq 0 ] && echo yes)"
out=$(MIRAGE_SPT_BPF_OUT="$T_TMP" "$SPT" "$IMG/probe.spt" exit 0 2>&1)
expect spt_filter_dump_error "1 mirage-spt: $T_TMP: cannot write the filter" "$? $out"

truncate -s 4096 "$T_TMP/disk"
for call in pwrite-past pread-big; do
    out=$("$SPT" --block:storage="$T_TMP/disk" "$IMG/block.spt" "$call" 2>&1)
    expect "spt_sigsys_$call" "159 " "$? $out"
done

# A sleeping guest, started with extra descriptors open (3 and 7) that it
# must not inherit.
"$SPT" "$IMG/probe.spt" sleep 30000 3</dev/null 7>"$T_TMP/extra" &
pid=$!
expect spt_seccomp_filter_mode 2 "$(seccomp_mode "$pid")"
expect spt_no_new_privs 1 "$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$pid/status")"
fds=$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ')
kinds=$(for fd in $(ls "/proc/$pid/fd"); do readlink "/proc/$pid/fd/$fd"; done |
    sed -n 's/^anon_inode:\[\(.*\)\]$/\1/p' | sort | tr '\n' ' ')
# The console, stderr (the tender's fault reports), the epoll and the
# timer descriptors, nothing inherited.
expect spt_descriptors "4 no-3 no-7" \
    "$(echo $fds | wc -w) $(grep -qw 3 <<<"$fds" && echo 3 || echo no-3) \
$(grep -qw 7 <<<"$fds" && echo 7 || echo no-7)"
expect spt_console_kept 1 "$(echo $fds | cut -d' ' -f1)"
kill "$pid"
wait "$pid" 2>/dev/null
expect spt_descriptor_kinds "eventpoll timerfd " "$kinds"
finish
