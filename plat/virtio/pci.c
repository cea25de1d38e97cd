/* The virtio-pci transport with the modern capabilities (virtio 1.x
 * section 4.1): configuration space through ports 0xcf8/0xcfc, bus 0 and
 * the buses behind its PCI-to-PCI bridges, virtio devices (vendor
 * 0x1af4, devices 0x1000-0x107f) whose common, notification and device
 * configuration structures lie in memory BARs the firmware or the VMM
 * assigned. A device without them (legacy-only) is reported and
 * skipped. */
#include "../solo5/say.h"
#include "io.h"
#include "transport.h"
#include "virtio.h"

#define PCI_ADDR          0xcf8
#define PCI_DATA          0xcfc
#define PCI_VENDOR_VIRTIO 0x1af4
#define PCI_COMMAND       0x04
#define PCI_CMD_MEMORY    0x02
#define PCI_CMD_MASTER    0x04
#define PCI_STATUS        0x06
#define PCI_STATUS_CAPS   0x10
#define PCI_HEADER_TYPE   0x0e
#define PCI_BAR0          0x10
#define PCI_SECONDARY_BUS 0x19
#define PCI_SUBSYSTEM_ID  0x2e
#define PCI_CAPS          0x34
#define PCI_CAP_VENDOR    0x09
#define PCI_CLASS         0x08
#define PCI_CLASS_BRIDGE  0x0604

#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_DEVICE 4

/* Common configuration registers. */
#define COMMON_DFSELECT 0
#define COMMON_DF       4
#define COMMON_GFSELECT 8
#define COMMON_GF       12
#define COMMON_STATUS   20
#define COMMON_CFGGEN   21
#define COMMON_Q_SELECT 22
#define COMMON_Q_SIZE   24
#define COMMON_Q_ENABLE 28
#define COMMON_Q_NOFF   30
#define COMMON_Q_DESC   32
#define COMMON_Q_DRIVER 40
#define COMMON_Q_DEVICE 48
#define COMMON_SIZE     56

static uint32_t cfg_addr(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
    return 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (off & 0xfc);
}
static uint32_t cfg32(unsigned b, unsigned d, unsigned f, unsigned off)
{
    outl(PCI_ADDR, cfg_addr(b, d, f, off));
    return inl(PCI_DATA);
}
static uint16_t cfg16(unsigned b, unsigned d, unsigned f, unsigned off)
{
    return (uint16_t)(cfg32(b, d, f, off) >> (off & 2) * 8);
}
static uint8_t cfg8(unsigned b, unsigned d, unsigned f, unsigned off)
{
    return (uint8_t)(cfg32(b, d, f, off) >> (off & 3) * 8);
}
static void cfg_write16(unsigned b, unsigned d, unsigned f, unsigned off,
                        uint16_t v)
{
    uint32_t old = cfg32(b, d, f, off);
    unsigned shift = (off & 2) * 8;
    old = (old & ~(0xffffu << shift)) | (uint32_t)v << shift;
    outl(PCI_ADDR, cfg_addr(b, d, f, off));
    outl(PCI_DATA, old);
}

static uint8_t get_status(struct virtio_dev *d)
{
    return mmio_read8(d->regs + COMMON_STATUS);
}
static void set_status(struct virtio_dev *d, uint8_t s)
{
    mmio_write8(d->regs + COMMON_STATUS, s);
}
static uint64_t get_features(struct virtio_dev *d)
{
    mmio_write32(d->regs + COMMON_DFSELECT, 1);
    uint64_t hi = mmio_read32(d->regs + COMMON_DF);
    mmio_write32(d->regs + COMMON_DFSELECT, 0);
    return hi << 32 | mmio_read32(d->regs + COMMON_DF);
}
static void set_features(struct virtio_dev *d, uint64_t f)
{
    mmio_write32(d->regs + COMMON_GFSELECT, 1);
    mmio_write32(d->regs + COMMON_GF, (uint32_t)(f >> 32));
    mmio_write32(d->regs + COMMON_GFSELECT, 0);
    mmio_write32(d->regs + COMMON_GF, (uint32_t)f);
}
static uint32_t queue_max(struct virtio_dev *d, uint16_t q)
{
    mmio_write16(d->regs + COMMON_Q_SELECT, q);
    return mmio_read16(d->regs + COMMON_Q_SIZE);
}
static void wr64(uintptr_t a, uint64_t v)
{
    mmio_write32(a, (uint32_t)v);
    mmio_write32(a + 4, (uint32_t)(v >> 32));
}
static int queue_setup(struct virtio_dev *d, uint16_t q, uint16_t size,
                       const struct vq *vq, const char **why)
{
    if (q >= VIRTIO_MAX_QUEUES) {
        *why = "more queues than the driver handles";
        return -1;
    }
    mmio_write16(d->regs + COMMON_Q_SELECT, q);
    if (mmio_read16(d->regs + COMMON_Q_ENABLE) != 0) {
        *why = "a queue is already in use after the reset";
        return -1;
    }
    mmio_write16(d->regs + COMMON_Q_SIZE, size);
    wr64(d->regs + COMMON_Q_DESC, (uint64_t)(uintptr_t)vq->desc);
    wr64(d->regs + COMMON_Q_DRIVER, (uint64_t)(uintptr_t)vq->avail);
    wr64(d->regs + COMMON_Q_DEVICE, (uint64_t)(uintptr_t)vq->used);
    uint64_t off =
        (uint64_t)mmio_read16(d->regs + COMMON_Q_NOFF) * d->notify_mult;
    d->notify[q] = d->notify_base + off;
    if (virtio_map_device(d->notify[q], 2) < 0) {
        *why = "its notification register cannot be mapped";
        return -1;
    }
    mmio_write16(d->regs + COMMON_Q_ENABLE, 1);
    return 0;
}
static void notify(struct virtio_dev *d, uint16_t q)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    mmio_write16(d->notify[q], q);
}
static uint8_t config_generation(struct virtio_dev *d)
{
    return mmio_read8(d->regs + COMMON_CFGGEN);
}

static const struct virtio_transport pci_transport = {
    .get_status = get_status,
    .set_status = set_status,
    .get_features = get_features,
    .set_features = set_features,
    .queue_max = queue_max,
    .queue_setup = queue_setup,
    .notify = notify,
    .config_generation = config_generation,
};

/* The address of memory BAR `bar` of b:d.f, 0 if it is not an assigned
 * memory BAR. */
static uint64_t bar_address(unsigned b, unsigned d, unsigned f, unsigned bar)
{
    if (bar > 5)
        return 0;
    uint32_t lo = cfg32(b, d, f, PCI_BAR0 + 4 * bar);
    if (lo & 1)
        return 0; /* an I/O BAR */
    uint64_t a = lo & ~0xfull;
    if ((lo >> 1 & 3) == 2 && bar < 5)
        a |= (uint64_t)cfg32(b, d, f, PCI_BAR0 + 4 * (bar + 1)) << 32;
    return a;
}

/* Fill in d from the vendor capabilities of b:d.f; -1 with *why. */
static int read_caps(struct virtio_dev *vd, unsigned b, unsigned d, unsigned f,
                     const char **why)
{
    uint64_t where[5] = {0}, len[5] = {0};
    if (cfg16(b, d, f, PCI_STATUS) & PCI_STATUS_CAPS) {
        unsigned p = cfg8(b, d, f, PCI_CAPS) & 0xfc;
        for (int n = 0; p != 0 && n < 48; n++) {
            unsigned type = cfg8(b, d, f, p + 3);
            if (cfg8(b, d, f, p) == PCI_CAP_VENDOR && type >= CAP_COMMON &&
                type <= CAP_DEVICE && where[type] == 0) {
                uint64_t bar = bar_address(b, d, f, cfg8(b, d, f, p + 4));
                if (bar != 0) {
                    where[type] = bar + cfg32(b, d, f, p + 8);
                    len[type] = cfg32(b, d, f, p + 12);
                    if (type == CAP_NOTIFY)
                        vd->notify_mult = cfg32(b, d, f, p + 16);
                }
            }
            p = cfg8(b, d, f, p + 1) & 0xfc;
        }
    }
    if (where[CAP_COMMON] == 0 || where[CAP_NOTIFY] == 0 ||
        where[CAP_DEVICE] == 0) {
        *why = "no modern virtio-pci capabilities in assigned memory BARs "
               "(a legacy-only device?)";
        return -1;
    }
    if (len[CAP_COMMON] < COMMON_SIZE ||
        virtio_map_device(where[CAP_COMMON], len[CAP_COMMON]) < 0 ||
        virtio_map_device(where[CAP_DEVICE], len[CAP_DEVICE]) < 0) {
        *why = "its configuration structures cannot be mapped";
        return -1;
    }
    vd->regs = where[CAP_COMMON];
    vd->config = where[CAP_DEVICE];
    vd->notify_base = where[CAP_NOTIFY];
    return 0;
}

static void format_bdf(char *out, unsigned b, unsigned d, unsigned f)
{
    static const char hex[] = "0123456789abcdef";
    const char s[] = {
        'p', 'c',         'i',         ' ', hex[b >> 4],     hex[b & 15],
        ':', hex[d >> 4], hex[d & 15], '.', (char)('0' + f), 0};
    for (unsigned i = 0; i < sizeof s; i++)
        out[i] = s[i];
}

struct scan {
    struct virtio_dev *devs;
    unsigned max, n;
};

static void scan_function(struct scan *s, unsigned b, unsigned d, unsigned f);

static void scan_bus(struct scan *s, unsigned bus, int depth)
{
    for (unsigned d = 0; d < 32; d++) {
        if (cfg16(bus, d, 0, 0) == 0xffff)
            continue;
        unsigned fns = cfg8(bus, d, 0, PCI_HEADER_TYPE) & 0x80 ? 8 : 1;
        for (unsigned f = 0; f < fns; f++) {
            if (cfg16(bus, d, f, 0) == 0xffff)
                continue;
            if (cfg16(bus, d, f, PCI_CLASS + 2) == PCI_CLASS_BRIDGE &&
                depth < 8) {
                unsigned sec = cfg8(bus, d, f, PCI_SECONDARY_BUS);
                if (sec > bus)
                    scan_bus(s, sec, depth + 1);
                continue;
            }
            scan_function(s, bus, d, f);
        }
    }
}

static void scan_function(struct scan *s, unsigned b, unsigned d, unsigned f)
{
    uint16_t vendor = cfg16(b, d, f, 0), device = cfg16(b, d, f, 2);
    if (vendor != PCI_VENDOR_VIRTIO || device < 0x1000 || device > 0x107f ||
        s->n == s->max)
        return;
    struct virtio_dev *vd = &s->devs[s->n];
    *vd = (struct virtio_dev){.t = &pci_transport};
    format_bdf(vd->where, b, d, f);
    vd->type =
        device >= 0x1040 ? device - 0x1040u : cfg16(b, d, f, PCI_SUBSYSTEM_ID);
    const char *why;
    if (read_caps(vd, b, d, f, &why) < 0) {
        solo5_say("virtio: ", vd->where, ": ", why, "; skipped\n", NULL);
        return;
    }
    cfg_write16(b, d, f, PCI_COMMAND,
                cfg16(b, d, f, PCI_COMMAND) | PCI_CMD_MEMORY | PCI_CMD_MASTER);
    s->n++;
}

unsigned virtio_pci_scan(struct virtio_dev *devs, unsigned max)
{
    struct scan s = {devs, max, 0};
    if (cfg32(0, 0, 0, 0) == 0xffffffffu)
        return 0; /* no PCI host bridge (microvm, Firecracker) */
    scan_bus(&s, 0, 0);
    return s.n;
}
