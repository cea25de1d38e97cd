# hvt: guests that misbehave are stopped with a one-line message naming the
# problem and status 255, and the tender never crashes; devices the
# manifest declares must be attached, and nothing else.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/kvm.bash"
plan 48
hvt_require_kvm
scratch

# bad MODE REGEX: the bad guest in MODE stops with status 255 and a
# message matching REGEX.
bad() {
    run_hvt --net:service=@3 "$IMAGES/bad.hvt" "$1" 3<>/dev/null
    expect "bad guest $1: status 255" 255 "$RC"
    expect_match "bad guest $1: message" "$2" "$OUT"
}
R='\(rip 0x[0-9a-f]+\)$'
bad port "^mirage-hvt: guest stopped: bad hypercall: out of 4 byte\(s\) at I/O port 0x520 $R"
bad port-in "^mirage-hvt: guest stopped: bad hypercall: in of 4 byte\(s\) at I/O port 0x502 $R"
bad arg "^mirage-hvt: guest stopped: bad hypercall WALLTIME: argument at 0xfffff000 is not in writable guest memory $R"
bad arg-readonly "^mirage-hvt: guest stopped: bad hypercall WALLTIME: argument at 0x[0-9a-f]+ is not in writable guest memory $R"
bad pointer "^mirage-hvt: guest stopped: bad hypercall PUTS: buffer at 0xffff0000 of 16 bytes is not in guest memory $R"
bad pointer-low "^mirage-hvt: guest stopped: bad hypercall PUTS: buffer at 0x2000 of 16 bytes is not in guest memory $R"
bad overflow "^mirage-hvt: guest stopped: bad hypercall PUTS: buffer at 0x[0-9a-f]+ of 18446744073709551607 bytes is not in guest memory $R"
bad read-into-code "^mirage-hvt: guest stopped: bad hypercall NET_READ: buffer at 0x[0-9a-f]+ of 2048 bytes is not in writable guest memory $R"
bad handle "^mirage-hvt: guest stopped: bad hypercall NET_WRITE: unknown handle 5 $R"
bad handle-reserved "^mirage-hvt: guest stopped: bad hypercall NET_READ: unknown handle 0 $R"
bad handle-type "^mirage-hvt: guest stopped: bad hypercall BLOCK_READ: unknown handle 1 $R"
bad halt-cookie "^mirage-hvt: guest stopped: bad hypercall HALT: buffer at 0xfffff000 of 1 bytes is not in guest memory $R"
bad poll-readonly "^mirage-hvt: guest stopped: bad hypercall POLL: argument at 0x[0-9a-f]+ is not in writable guest memory $R"
bad write-code "^mirage-hvt: guest stopped: write to read-only guest memory at 0x[0-9a-f]+ $R"
bad hlt "^mirage-hvt: guest stopped: hlt instruction $R"
bad triple "^mirage-hvt: guest stopped: triple fault, cr2 0x[0-9a-f]+ $R"
# Exceptions: the guest halts with a trap cookie (MirageC's extension
# granted, it prints nothing itself) and the tender reports them.
F='^mirage-hvt: guest fault:'
bad ud "$F #UD invalid opcode \(error 0x0\) at rip 0x[0-9a-f]+$"
bad null "$F #PF page fault \(error 0x0\) at rip 0x[0-9a-f]+, address 0x0$"
bad stack "$F #PF page fault \(error 0x2\) at rip 0x[0-9a-f]+, address 0x7ff8$"
bad write-bootinfo "$F #PF page fault \(error 0x3\) at rip 0x[0-9a-f]+, address 0x10000$"

# The same image with its EXT1 note renamed, as Solo5's tenders see it:
# nothing is granted, and the guest reports its exceptions itself.
python3 "$ROOT/test/tender/unext.py" "$IMAGES/bad.hvt" "$T_TMP/bad-plain.hvt"
run_hvt --net:service=@3 "$T_TMP/bad-plain.hvt" null 3<>/dev/null
expect "plain guest null: status 255" 255 "$RC"
expect_match "plain guest null: guest's message" \
    "^hvt: guest exception: #PF page fault, error 0x0{16}, rip 0x[0-9a-f]{16}, cr2 0x0{16}$" \
    "$(printf '%s\n' "$OUT" | head -n 1)"
expect_match "plain guest null: tender's message" \
    "^$F #PF page fault \\(error 0x0\\) at rip 0x[0-9a-f]+, address 0x0$" \
    "$(printf '%s\n' "$OUT" | tail -n 1)"
# A cookie with Solo5's registers only, as Solo5's guests leave it.
bad cookie-solo5 "$F CPU exception at rip 0x123456, cr2 0xdead000$"

# Devices: every declared one attached, nothing undeclared.
run_hvt "$IMAGES/bad.hvt" port
expect "unattached device refused" \
    "1:mirage-hvt: network device 'service' is not attached (use --net:service=...)" \
    "$RC:$OUT"
truncate -s 4096 "$T_TMP/disk"
run_hvt --net:service=@3 --block:storage="$T_TMP/disk" "$IMAGES/bad.hvt" port 3<>/dev/null
expect "undeclared device refused" \
    "1:mirage-hvt: device 'storage' is not in the image's manifest" "$RC:$OUT"
run_hvt --block:service="$T_TMP/disk" "$IMAGES/bad.hvt" port
expect "device of the wrong kind refused" \
    "1:mirage-hvt: device 'service' is a network device, not block" "$RC:$OUT"
finish
