#!/usr/bin/env bash
# virtio: the image's boot layout (the PVH note, the multiboot header
# where GRUB sees it and QEMU does not), booting on QEMU microvm (PVH,
# virtio-mmio on the command line) and q35 (PVH, PCI) with arguments and
# exit statuses, the platform's command-line words and their errors,
# guest faults reported with the registers, and the ways out without
# isa-debug-exit (ACPI on q35, the i8042 reset on pc without ACPI).
source "$(dirname "$0")/virtio.bash"
plan $((2 + 2 * 6 + 4 + 7 + 8 + 3 * 4 + 1 + 3 + 4 + 3 + 2 + 3))
virtio_require_qemu virtio_boot
scratch
HELLO="$IMAGES/hello.virtio"

# The layout: e_entry is the multiboot entry; the PVH note points into
# the text; the multiboot header is at file offset 8168 (0x1fe8) with a
# valid checksum: inside GRUB's 8 KiB, past the last offset QEMU's loader
# scans (8140), so QEMU boots it by PVH.
layout=$(python3 - "$HELLO" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
entry, phoff = struct.unpack_from("<QQ", data, 24)
phnum = struct.unpack_from("<H", data, 56)[0]
pvh = None
for i in range(phnum):
    t, _, off, _, _, size = struct.unpack_from("<IIQQQQ", data, phoff + 56 * i)
    p = off
    while t == 4 and p < off + size:
        namesz, descsz, typ = struct.unpack_from("<III", data, p)
        name = data[p + 12:p + 12 + namesz]
        desc = p + 12 + (namesz + 3) // 4 * 4
        if name == b"Xen\0" and typ == 18:
            pvh = struct.unpack_from("<I", data, desc)[0]
        p = desc + (descsz + 3) // 4 * 4
mb = [o for o in range(0, 8192 - 11, 4)
      if struct.unpack_from("<I", data, o)[0] == 0x1BADB002
      and sum(struct.unpack_from("<III", data, o)) % 2**32 == 0]
print("pvh" if pvh and 0x100000 <= pvh < 0x101000 else "no-pvh",
      "mb=" + ",".join(map(str, mb)),
      "entry-ok" if 0x100000 <= entry < 0x101000 else "entry-bad")
PY
)
expect "image has the PVH note, one multiboot header for GRUB only" \
    "pvh mb=8168 entry-ok" "$layout"
expect_match "image carries the Solo5 virtio ABI note and interpreter" \
    'Requesting program interpreter: /nonexistent/solo5/' \
    "$(readelf -lW "$HELLO")"

for m in microvm q35; do
    run_virtio --machine=$m "$HELLO" "--hello='Hello, world'" 'a"b c"\ d' \
        --status=7
    expect "${m}: status 7" 7 "$RC"
    expect "${m}: quoted arguments" \
        "arg [--hello=Hello, world]|arg [ab c d]|arg [--status=7]" \
        "$(printf '%s\n' "$OUT" | grep '^arg ' | paste -sd'|')"
    expect "${m}: every check passes" "" \
        "$(printf '%s\n' "$OUT" | grep -v '^ok \|^arg \|^heap MiB \|entropy')"
    expect "${m}: all checks ran" 12 "$(printf '%s\n' "$OUT" | grep -c '^ok ')"
    run_virtio --machine=$m --mem=64 "$HELLO"
    expect "${m}: status 0" 0 "$RC"
    expect_match "${m}: the heap is most of 64 MiB" '^heap MiB (5[5-9]|6[0-3])$' \
        "$OUT"
done

# KVM, where /dev/kvm works: on microvm it brings no PIT and no CMOS RTC,
# so the clock comes from KVM's paravirtual clock (as on Firecracker).
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
    run_virtio --accel=kvm "$HELLO" --status=3
    expect "kvm microvm: status 3" 3 "$RC"
    expect "kvm microvm: every check passes, the wall clock included" 12 \
        "$(printf '%s\n' "$OUT" | grep -c '^ok ')"
    expect "kvm microvm: no complaint about the clock" "" \
        "$(printf '%s\n' "$OUT" | grep '^virtio: ')"
else
    skip virtio_kvm "/dev/kvm is not usable" 3
fi

# The noop and hello examples on q35 (microvm runs every example in
# test/examples).
for ex in noop hello; do
    use_example $ex
    "$MIRAGE" configure -t virtio >build.log 2>&1 && make >>build.log 2>&1 ||
        fail "$ex example builds" "$(tail -n 5 build.log)"
    run_virtio --machine=q35 dist/$ex.virtio
    expect "$ex example on q35: status 0" 0 "$RC"
done
expect "noop example on q35: silent" "" "$(cd "$T_TMP/noop" &&
    "$VIRTIO" --machine=q35 dist/noop.virtio 2>&1)"
expect "hello example on q35: four hellos" 4 "$(printf '%s\n' "$OUT" |
    grep -cE '^[0-9T:-]+-00:00: \[INFO\] \[application\] hello$')"
cd "$T_TMP" || exit 1

# Statuses: 0-126 exactly, 127 and above as 255 (QEMU keeps seven bits).
for s in 1 63 64 126 127 200 255; do
    run_virtio "$HELLO" --status=$s
    want=$s
    [ "$s" -ge 127 ] && want=255
    expect "status $s reaches the host as $want" "$want" "$RC"
done

# The platform's words are taken out before the unikernel's arguments.
run_virtio "$HELLO" virtio.block:nothing=0
expect "an assignment naming no device exits 1" 1 "$RC"
expect "an assignment naming no device says so" \
    "virtio: virtio.block:nothing=0: the image has no block device of that name" \
    "$OUT"
run_virtio "$HELLO" virtio_mmio.device=512@0xfeb00e00
expect "a malformed virtio_mmio.device exits 64" 64 "$RC"
expect "a malformed virtio_mmio.device is named" \
    "virtio: command line: virtio_mmio.device=512@0xfeb00e00: expected SIZE@BASE:IRQ[:ID]" \
    "$OUT"
run_virtio "$HELLO" "it's"
expect "an unterminated quote exits 64" 64 "$RC"
expect "an unterminated quote is reported" \
    "virtio: command line: unterminated quote" "$OUT"
run_virtio "$HELLO" virtio_mmio.device=512@0xd0000000:5
expect "a virtio_mmio.device with no registers is skipped" \
    "virtio: mmio@0xd0000000: no virtio-mmio registers there; skipped" \
    "$(printf '%s\n' "$OUT" | head -n 1)"
expect "and the guest runs on" 0 "$RC"

# Faults: the exception, its address, all registers; status 255.
for f in pf:'#PF page fault.*cr2 0x0000123456789000' \
    ud:'#UD invalid opcode' gp:'#GP general protection fault'; do
    run_virtio "$HELLO" --fault=${f%%:*}
    expect "fault ${f%%:*} exits 255" 255 "$RC"
    expect_match "fault ${f%%:*} is reported" \
        "^virtio: guest exception: ${f#*:}" "$OUT"
    expect_match "fault ${f%%:*} shows the registers" \
        '^virtio: rax 0x[0-9a-f]{16} rbx 0x[0-9a-f]{16} rcx 0x[0-9a-f]{16} rdx 0x[0-9a-f]{16}$' \
        "$OUT"
    expect "fault ${f%%:*}: five register lines" 5 \
        "$(printf '%s\n' "$OUT" | grep -cE '^virtio: (rax|rsi|r8|r12|rflags) ')"
done
run_virtio "$HELLO" --fault=ud
expect_match "the registers hold the guest's values" \
    '^virtio: rax 0x1122334455667788 ' "$OUT"
# A guard page (the platform's 4 KiB protection inside its 2 MiB map).
run_virtio "$HELLO" --fault=guard
expect "a write to a guard page exits 255" 255 "$RC"
expect_match "a write to a guard page is a page fault (write, not present)" \
    '^virtio: guest exception: #PF page fault, error 0x0000000000000002, rip 0x[0-9a-f]+, cr2 0x[0-9a-f]+000$' \
    "$OUT"
expect "guard pages are set, released and checked" 4 \
    "$(printf '%s\n' "$OUT" | grep -cE '^ok (a guard page is released|an unaligned guard page is refused|a guard page below the heap is refused|guard page set)$')"

# Without isa-debug-exit: the status is said, then ACPI powers q35 off
# (without -no-reboot: a reset instead would boot the guest again, and
# say the status again), and the i8042 reset line ends pc without ACPI
# (QEMU with -no-reboot exits 0).
qemu_plain() {
    timeout 20 qemu-system-x86_64 -accel "$ACCEL" -m 128 -nodefaults \
        -display none -serial stdio "$@" -kernel "$HELLO" \
        -append "--status=3" >"$T_TMP/plain.out" 2>&1
    RC=$?
    OUT=$(tr -d '\r' <"$T_TMP/plain.out")
}
qemu_plain -M q35
expect "q35 without isa-debug-exit powers off by ACPI (QEMU exits 0)" 0 "$RC"
expect "the status it could not carry is said once" \
    "virtio: exit status 3 (the machine has no isa-debug-exit device to carry it)" \
    "$(printf '%s\n' "$OUT" | grep '^virtio: ')"
qemu_plain -M pc,acpi=off -no-reboot
expect "pc without ACPI resets through the i8042 (QEMU exits 0)" 0 "$RC"
expect_match "pc without ACPI says the status too" '^virtio: exit status 3 ' \
    "$OUT"

# Multiboot: GRUB (from a rescue CD image) boots the same image; the
# image's path it puts first on the command line is dropped.
if command -v grub-mkrescue >/dev/null && command -v xorriso >/dev/null; then
    mkdir -p "$T_TMP/iso/boot/grub"
    cp "$HELLO" "$T_TMP/iso/boot/hello.virtio"
    cat >"$T_TMP/iso/boot/grub/grub.cfg" <<'CFG'
set timeout=0
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
menuentry "hello" {
    multiboot /boot/hello.virtio --status=5 --hello=world
    boot
}
CFG
    if grub-mkrescue -o "$T_TMP/hello.iso" "$T_TMP/iso" >"$T_TMP/iso.log" 2>&1
    then
        timeout 60 qemu-system-x86_64 -M pc -accel "$ACCEL" -m 128 \
            -nodefaults -display none -serial stdio -no-reboot \
            -device isa-debug-exit -cdrom "$T_TMP/hello.iso" \
            >"$T_TMP/grub.out" 2>&1
        expect "GRUB multiboot: status 5 (QEMU exits 11)" 11 "$?"
        OUT=$(tr -d '\r' <"$T_TMP/grub.out")
        expect "GRUB multiboot: the arguments, without the image's path" \
            "arg [--status=5]|arg [--hello=world]" \
            "$(printf '%s\n' "$OUT" | grep '^arg ' | paste -sd'|')"
        expect "GRUB multiboot: all checks ran" 12 \
            "$(printf '%s\n' "$OUT" | grep -c '^ok ')"
    else
        fail "GRUB rescue image" "$(tail -n 5 "$T_TMP/iso.log")"
        skip "GRUB multiboot" "no rescue image to boot" 2
    fi
else
    skip virtio_multiboot "grub-mkrescue or xorriso is not installed" 3
fi

# The virtio console gets the output as well as the serial port.
OUT=$(timeout 60 qemu-system-x86_64 -M microvm,acpi=off -accel "$ACCEL" \
    -global virtio-mmio.force-legacy=false -m 128 -nodefaults -display none \
    -serial stdio -no-reboot -device isa-debug-exit \
    -device virtio-serial-device -chardev file,id=vc,path="$T_TMP/vcon" \
    -device virtconsole,chardev=vc -kernel "$HELLO" -append "--status=0" \
    2>&1 | tr -d '\r')
expect_match "virtio console: serial output" '^ok target is virtio$' "$OUT"
expect "virtio console: the same lines" "$(printf '%s\n' "$OUT" | grep -c '^ok ')" \
    "$(grep -c '^ok ' "$T_TMP/vcon" 2>/dev/null)"
finish
