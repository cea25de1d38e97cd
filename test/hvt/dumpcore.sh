#!/usr/bin/env bash
# mirage-hvt --dumpcore=DIR: a guest that faults leaves DIR/core.mirage-
# hvt.PID, an ELF core file that gdb (batch mode) loads with the image and
# shows stopped at the faulting instruction, the one the tender's report
# names. A guest that exits normally leaves none; a missing directory is
# refused before the guest runs; mirage-spt refuses the option.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/kvm.bash"
plan 11
hvt_require_kvm
scratch
mkdir "$T_TMP/cores"

run_hvt --mem=8 --dumpcore="$T_TMP/cores" --net:service=@3 \
    "$IMAGES/bad.hvt" null 3<>/dev/null
expect dumpcore_fault_status 255 "$RC"
rip=$(printf '%s\n' "$OUT" | sed -n 's/^mirage-hvt: guest fault: .* at rip \(0x[0-9a-f]*\), .*/\1/p')
core=$(ls "$T_TMP/cores")
expect_match dumpcore_named "^core\.mirage-hvt\.[0-9]+$" "$core"
expect_match dumpcore_said_so "^mirage-hvt: core dumped to $T_TMP/cores/$core$" "$OUT"
expect dumpcore_is_elf_core "CORE (Core file)" \
    "$(readelf -h "$T_TMP/cores/$core" 2>&1 | sed -n 's/^ *Type: *//p')"
# Sparse: an 8 MiB guest that touched little.
expect dumpcore_sparse yes \
    "$([ "$(du -k "$T_TMP/cores/$core" | cut -f1)" -lt 4096 ] && echo yes)"
gdbout=$(timeout 60 gdb -batch -ex 'info registers rip' -ex 'bt 1' \
    "$IMAGES/bad.hvt" "$T_TMP/cores/$core" 2>&1)
expect_match dumpcore_gdb_loads_it "^Program terminated with signal SIGSEGV" "$gdbout"
expect_match dumpcore_gdb_shows_the_faulting_rip \
    "^rip +$rip +$rip <mirage_rt_boot\+[0-9]+>$" "$gdbout"
expect_match dumpcore_gdb_backtrace "^#0 +mirage_rt_boot .* at test/hvt/guests/bad.c:[0-9]+$" "$gdbout"

rm -f "$T_TMP/cores"/*
run_hvt --mem=8 --dumpcore="$T_TMP/cores" "$IMAGES/halt.hvt"
expect dumpcore_none_on_exit "0 " "$RC $(ls "$T_TMP/cores")"
run_hvt --dumpcore="$T_TMP/none" "$IMAGES/halt.hvt"
expect dumpcore_missing_dir "1:mirage-hvt: --dumpcore: $T_TMP/none: No such file or directory" "$RC:$OUT"
out=$("$ROOT/build/bin/mirage-spt" --dumpcore="$T_TMP/cores" "$IMAGES/noop.spt" 2>&1)
expect dumpcore_spt_refuses "1 mirage-spt: --dumpcore: core files are written by mirage-hvt only" "$? $out"
finish
