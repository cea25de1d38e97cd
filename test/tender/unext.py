#!/usr/bin/env python3
"""unext.py [--clear FEATURES] IN OUT: copy the image IN to OUT with its
MirageC EXT1 note renamed ("MirageC" -> "MirageX"), so that MirageC's
tenders skip it as Solo5's do: the guest then runs on Solo5's plain ABI
(nothing granted).
With --clear, the note stays and the MIRAGE_EXT_* bits in FEATURES (a
number, e.g. 16) are cleared from the features it asks for: the tender
grants the others, as a tender that does not know those bits does."""
import sys

args = sys.argv[1:]
clear = 0
if args[:1] == ["--clear"] and len(args) > 1:
    clear = int(args[1], 0)
    args = args[2:]
if len(args) != 2:
    sys.exit("usage: unext.py [--clear FEATURES] IN OUT")
data = bytearray(open(args[0], "rb").read())
# The note header: namesz 8, descsz 16, type "EXT1", then the name, the
# record's address (8 bytes) and the features (4).
key = (8).to_bytes(4, "little") + (16).to_bytes(4, "little") + b"EXT1MirageC\0"
at = data.find(key)
if at < 0 or data.find(key, at + 1) >= 0:
    sys.exit("unext.py: %s: no single EXT1 note" % args[0])
if clear:
    f = at + len(key) + 8
    wanted = int.from_bytes(data[f : f + 4], "little")
    if wanted & clear != clear:
        sys.exit("unext.py: %s: does not ask for 0x%x" % (args[0], clear))
    data[f : f + 4] = (wanted & ~clear).to_bytes(4, "little")
else:
    data[at + 12 + 6] = ord("X")
open(args[1], "wb").write(data)
