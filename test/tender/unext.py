#!/usr/bin/env python3
"""unext.py IN OUT: copy the image IN to OUT with its MirageC EXT1 note
renamed ("MirageC" -> "MirageX"), so that MirageC's tenders skip it as
Solo5's do: the guest then runs on Solo5's plain ABI (nothing granted)."""
import sys

data = bytearray(open(sys.argv[1], "rb").read())
# The note header: namesz 8, descsz 16, type "EXT1", then the name.
key = (8).to_bytes(4, "little") + (16).to_bytes(4, "little") + b"EXT1MirageC\0"
at = data.find(key)
if at < 0 or data.find(key, at + 1) >= 0:
    sys.exit("unext.py: %s: no single EXT1 note" % sys.argv[1])
data[at + 12 + 6] = ord("X")
open(sys.argv[2], "wb").write(data)
