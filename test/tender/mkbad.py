#!/usr/bin/env python3
"""Writes deliberately broken Solo5-style images for the tender tests.

usage: mkbad.py BASE OUTDIR TARGET

BASE is a good image whose manifest declares at least two devices; its ABI
note is first set to TARGET (1 = hvt, 2 = spt), so every variant is valid
for that tender except for the one thing each breaks. Writes OUTDIR/NAME
for each variant and prints one line "NAME<TAB>REGEX" per variant, REGEX
matching the tender's one-line message."""
import struct
import sys

EHDR_PHOFF, EHDR_PHNUM = 32, 56
PHDR_SIZE = 56
PT_LOAD, PT_NOTE = 1, 4
PF_X, PF_W = 1, 2
NOTE_ABI, NOTE_MFT = 0x31494241, 0x3154464D
ENTRY_SIZE = 104


def u16(b, o):
    return struct.unpack_from("<H", b, o)[0]


def u32(b, o):
    return struct.unpack_from("<I", b, o)[0]


def u64(b, o):
    return struct.unpack_from("<Q", b, o)[0]


def phdrs(b):
    off, n = u64(b, EHDR_PHOFF), u16(b, EHDR_PHNUM)
    return [off + i * PHDR_SIZE for i in range(n)]


def loads(b):
    return [p for p in phdrs(b) if u32(b, p) == PT_LOAD]


def note(b, ntype):
    """File offset of the Solo5 note of this type."""
    for p in phdrs(b):
        if u32(b, p) != PT_NOTE:
            continue
        off = u64(b, p + 8)
        if u32(b, off) == 6 and b[off + 12:off + 17] == b"Solo5" and \
                u32(b, off + 8) == ntype:
            return off
    raise SystemExit("mkbad: base image lacks note 0x%x" % ntype)


def mft(b):
    """File offset of the manifest (after the note header and padding)."""
    return note(b, NOTE_MFT) + 24


def entry(b, i):
    return mft(b) + 8 + i * ENTRY_SIZE


def text(b):
    return next(p for p in loads(b) if u32(b, p + 4) & PF_X)


def data(b):
    return next(p for p in loads(b) if u32(b, p + 4) & PF_W)


def put(b, fmt, off, val):
    struct.pack_into(fmt, b, off, val)


def cases(target):
    """(name, regex, function mutating the image or returning a new one)"""
    return [
        ("empty", "file size 0", lambda b: bytearray()),
        ("truncated_header", "truncated ELF header", lambda b: b[:40]),
        ("truncated_segments", "data outside the file",
         lambda b: b[:u64(b, data(b) + 8) + 1]),
        ("bad_magic", "not an ELF file", lambda b: put(b, "B", 1, ord("X"))),
        ("elf32", "not a 64-bit", lambda b: put(b, "B", 4, 1)),
        ("big_endian", "not a 64-bit", lambda b: put(b, "B", 5, 2)),
        ("shared_object", "not a static executable",
         lambda b: put(b, "<H", 16, 3)),
        ("wrong_machine", "not an x86_64", lambda b: put(b, "<H", 18, 183)),
        ("bad_phentsize", "bad ELF header sizes",
         lambda b: put(b, "<H", 54, 32)),
        ("no_phdrs", "program headers", lambda b: put(b, "<H", 56, 0)),
        ("too_many_phdrs", "program headers", lambda b: put(b, "<H", 56, 65)),
        ("phdrs_outside", "program headers outside the file",
         lambda b: put(b, "<Q", 32, len(b) - 8)),
        ("phoff_overflow", "program headers outside the file",
         lambda b: put(b, "<Q", 32, 2**64 - 16)),
        ("write_exec", "both writable and executable",
         lambda b: put(b, "<I", text(b) + 4, 7)),
        ("low_segment", "below 0x100000",
         lambda b: put(b, "<Q", text(b) + 16, 0x1000)),
        ("filesz_gt_memsz", "file size exceeds memory size",
         lambda b: put(b, "<Q", text(b) + 40, u64(b, text(b) + 32) - 1)),
        ("offset_outside", "data outside the file",
         lambda b: put(b, "<Q", text(b) + 8, 2**64 - 8)),
        ("memsz_overflow", "does not fit in",
         lambda b: put(b, "<Q", data(b) + 40, 2**64 - 4096)),
        ("beyond_memory", "does not fit in",
         lambda b: put(b, "<Q", data(b) + 16, 2**40)),
        ("bad_align", "alignment .* is not a power of two",
         lambda b: put(b, "<Q", text(b) + 48, 3000)),
        ("overlap", "overlaps or precedes",
         lambda b: put(b, "<Q", data(b) + 16, u64(b, text(b) + 16))),
        ("entry_outside", "entry point",
         lambda b: put(b, "<Q", 24, u64(b, data(b) + 16))),
        ("no_abi_note", "no Solo5 ABI1 note",
         lambda b: put(b, "B", note(b, NOTE_ABI) + 12, ord("X"))),
        ("wrong_target", "ABI target %d, not %d" % (3 - target, target),
         lambda b: put(b, "<I", note(b, NOTE_ABI) + 20, 3 - target)),
        ("wrong_abi_version", "ABI version 1, not 2",
         lambda b: put(b, "<I", note(b, NOTE_ABI) + 24, 1)),
        ("abi_note_size", "ABI1 note of",
         lambda b: put(b, "<I", note(b, NOTE_ABI) + 4, 12)),
        ("note_past_segment", "note extends past its segment",
         lambda b: put(b, "<I", note(b, NOTE_MFT) + 4, 0x7fffffff)),
        ("no_manifest", "no Solo5 MFT1 manifest note",
         lambda b: put(b, "<I", note(b, NOTE_MFT) + 8, 0x1234)),
        ("mft_version", "invalid manifest: version 2",
         lambda b: put(b, "<I", mft(b), 2)),
        ("mft_no_entries", "invalid manifest: 0 entries",
         lambda b: put(b, "<I", mft(b) + 4, 0)),
        ("mft_too_many", "invalid manifest: 65 entries",
         lambda b: put(b, "<I", mft(b) + 4, 65)),
        ("mft_size", "invalid manifest: .* bytes for 2 entries",
         lambda b: put(b, "<I", mft(b) + 4, 2)),
        ("mft_reserved", "entry 0 is not the reserved entry",
         lambda b: put(b, "<I", entry(b, 0) + 68, 1)),
        ("mft_empty_name", "entry 1: bad device name",
         lambda b: put(b, "B", entry(b, 1), 0)),
        ("mft_bad_name", "entry 2: bad device name",
         lambda b: put(b, "B", entry(b, 2) + 1, ord("-"))),
        ("mft_long_name", "entry 1: bad device name",
         lambda b: b.__setitem__(slice(entry(b, 1), entry(b, 1) + 68),
                                 b"a" * 68)),
        ("mft_duplicate", "device name 'service' declared twice",
         lambda b: b.__setitem__(slice(entry(b, 2), entry(b, 2) + 8),
                                 b"service\0")),
        ("mft_bad_type", "entry 1 \\(service\\): unknown device type 0x9",
         lambda b: put(b, "<I", entry(b, 1) + 68, 9)),
        ("mft_attached", "entry 2 \\(storage\\) is marked attached",
         lambda b: put(b, "B", entry(b, 2) + 96, 1)),
    ]


def main():
    base, outdir, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(base, "rb") as f:
        good = bytearray(f.read())
    put(good, "<I", note(good, NOTE_ABI) + 20, target)
    with open("%s/good" % outdir, "wb") as f:
        f.write(good)
    for name, regex, mutate in cases(target):
        b = bytearray(good)
        r = mutate(b)
        if r is not None:
            b = r
        with open("%s/%s" % (outdir, name), "wb") as f:
            f.write(b)
        print("%s\t%s" % (name, regex))


main()
