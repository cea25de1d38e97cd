/* Powering off through ACPI (virtio_acpi_poweroff, virtio.h): the RSDP
 * from the boot loader or the BIOS areas, the RSDT or XSDT, the FADT,
 * and the \_S5 sleep type from the DSDT (aml.c); then SLP_TYP|SLP_EN to
 * the FADT's sleep control register on a hardware-reduced machine (QEMU
 * microvm with ACPI, cloud-hypervisor) or to PM1a/PM1b control (QEMU pc
 * and q35), enabling ACPI mode first if the firmware left it off. The
 * tables are read at boot (virtio_acpi_init), every one checksummed and
 * bounded; anything missing means no ACPI power-off, and exit.c goes on
 * to the next way. */
#include "aml.h"
#include "bootinfo.h"
#include "io.h"
#include "virtio.h"

#include <stdbool.h>

#define FADT_SMI_CMD     48
#define FADT_ACPI_ENABLE 52
#define FADT_PM1A_CNT    64
#define FADT_PM1B_CNT    68
#define FADT_FLAGS       112
#define FADT_HW_REDUCED  (1u << 20)
#define FADT_X_DSDT      140
#define FADT_SLEEP_CTRL  244
#define SLP_EN_PM1       (1u << 13)
#define SCI_EN           1u
#define TABLE_LIMIT      (1u << 24) /* no ACPI table is larger */

/* How to power off, worked out at boot while the tables are intact (the
 * heap and the DMA memory may later cover them). */
static struct {
    enum { NONE, SLEEP_IO, SLEEP_MEM, PM1 } how;
    uint64_t reg;        /* SLEEP_*: the sleep control register */
    uint16_t pm1a, pm1b; /* PM1: control ports (pm1b may be 0) */
    uint16_t smi_cmd;    /* PM1: where to ask for ACPI mode, or 0 */
    uint8_t acpi_enable; /* the value to write there */
    uint8_t slp_a, slp_b;
} off;

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t le64(const uint8_t *p)
{
    return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static bool sums_to_zero(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s == 0;
}

static bool is_rsdp(const uint8_t *p)
{
    static const char sig[] = "RSD PTR ";
    for (int i = 0; i < 8; i++)
        if (p[i] != (uint8_t)sig[i])
            return false;
    return sums_to_zero(p, 20);
}

static const uint8_t *find_rsdp(uint64_t hint)
{
    if (hint != 0 && hint < RAM_LIMIT - 20 && is_rsdp(phys((uintptr_t)hint)))
        return phys((uintptr_t)hint);
    uintptr_t ebda = (uintptr_t) * (const uint16_t *)phys(0x40e) << 4;
    if (ebda >= 0x80000 && ebda < 0xa0000)
        for (uintptr_t p = ebda; p < ebda + 1024; p += 16)
            if (is_rsdp(phys(p)))
                return phys(p);
    for (uintptr_t p = 0xe0000; p < 0x100000; p += 16)
        if (is_rsdp(phys(p)))
            return phys(p);
    return NULL;
}

/* The table at physical address a if its length and checksum are sane. */
static const uint8_t *table(uint64_t a)
{
    if (a == 0 || a >= RAM_LIMIT)
        return NULL;
    const uint8_t *t = phys((uintptr_t)a);
    uint32_t len = le32(t + 4);
    if (len < 36 || len > TABLE_LIMIT || a + len > RAM_LIMIT ||
        !sums_to_zero(t, len))
        return NULL;
    return t;
}

static bool signature(const uint8_t *t, const char *s)
{
    return t[0] == s[0] && t[1] == s[1] && t[2] == s[2] && t[3] == s[3];
}

static const uint8_t *find_fadt(uint64_t hint)
{
    const uint8_t *rsdp = find_rsdp(hint);
    if (rsdp == NULL)
        return NULL;
    bool x = rsdp[15] >= 2 && le64(rsdp + 24) != 0;
    const uint8_t *root = table(x ? le64(rsdp + 24) : le32(rsdp + 16));
    if (root == NULL)
        return NULL;
    unsigned step = x ? 8 : 4;
    uint32_t len = le32(root + 4);
    for (uint32_t off = 36; off + step <= len; off += step) {
        const uint8_t *t = table(x ? le64(root + off) : le32(root + off));
        if (t != NULL && signature(t, "FACP"))
            return t;
    }
    return NULL;
}

void virtio_acpi_init(uint64_t rsdp)
{
    const uint8_t *fadt = find_fadt(rsdp);
    if (fadt == NULL)
        return;
    uint32_t len = le32(fadt + 4);
    const uint8_t *dsdt =
        table(len >= FADT_X_DSDT + 8 && le64(fadt + FADT_X_DSDT)
                  ? le64(fadt + FADT_X_DSDT)
                  : le32(fadt + 40));
    if (dsdt == NULL ||
        aml_s5(dsdt + 36, le32(dsdt + 4) - 36, &off.slp_a, &off.slp_b) < 0)
        return;
    if (len >= FADT_FLAGS + 4 && (le32(fadt + FADT_FLAGS) & FADT_HW_REDUCED)) {
        if (len < FADT_SLEEP_CTRL + 12)
            return;
        const uint8_t *gas = fadt + FADT_SLEEP_CTRL;
        off.reg = le64(gas + 4);
        if (gas[0] == 1 && off.reg != 0 && off.reg < 0x10000)
            off.how = SLEEP_IO;
        else if (gas[0] == 0 && off.reg != 0 &&
                 virtio_map_device(off.reg, 1) == 0)
            off.how = SLEEP_MEM;
        return;
    }
    uint32_t pm1a = le32(fadt + FADT_PM1A_CNT);
    uint32_t pm1b = le32(fadt + FADT_PM1B_CNT);
    uint32_t smi = le32(fadt + FADT_SMI_CMD);
    if (pm1a == 0 || pm1a > 0xffff || pm1b > 0xffff || smi > 0xffff)
        return;
    off.pm1a = (uint16_t)pm1a;
    off.pm1b = (uint16_t)pm1b;
    off.smi_cmd = (uint16_t)smi;
    off.acpi_enable = fadt[FADT_ACPI_ENABLE];
    off.how = PM1;
}

void virtio_acpi_poweroff(void)
{
    uint8_t sleep = (uint8_t)((off.slp_a & 7) << 2 | 1 << 5);
    switch (off.how) {
    case NONE:
        return;
    case SLEEP_IO:
        outb((uint16_t)off.reg, sleep);
        return;
    case SLEEP_MEM:
        mmio_write8((uintptr_t)off.reg, sleep);
        return;
    case PM1:
        if (!(inw(off.pm1a) & SCI_EN) && off.smi_cmd != 0 &&
            off.acpi_enable != 0) {
            outb(off.smi_cmd, off.acpi_enable);
            for (int i = 0; i < 1000000 && !(inw(off.pm1a) & SCI_EN); i++)
                cpu_relax();
        }
        outw(off.pm1a, (uint16_t)((off.slp_a & 7) << 10 | SLP_EN_PM1));
        if (off.pm1b != 0)
            outw(off.pm1b, (uint16_t)((off.slp_b & 7) << 10 | SLP_EN_PM1));
        return;
    }
}
