/* The machine's virtio devices and the image's manifest (see devices.h),
 * and the Solo5-style transports of plat/solo5/devices.h on top of the
 * virtio-net and virtio-blk drivers. */
#include "devices.h"
#include "../solo5/devices.h"
#include "../solo5/ext.h"
#include "../solo5/manifest.h"
#include "../solo5/say.h"
#include "blk.h"
#include "console.h"
#include "match.h"
#include "net.h"
#include "virtio.h"

/* The image's own manifest note (link.ld marks where it starts): the
 * note header, then struct solo5_mft 8-aligned. */
extern const char virtio_manifest_note[];
#define MFT_OFFSET ((sizeof(struct solo5_note_header) + 7) & ~(size_t)7)

static uint64_t
    mft_copy[(sizeof(struct solo5_mft) +
              SOLO5_MFT_MAX_ENTRIES * sizeof(struct solo5_mft_entry)) /
             8];
static struct virtio_dev devs[VIRTIO_DEVICES_MAX];
static unsigned ndev;

void virtio_format_where(char out[24], const char *prefix, uint64_t value)
{
    size_t n = 0;
    while (*prefix && n < 7)
        out[n++] = *prefix++;
    out[n++] = '0';
    out[n++] = 'x';
    int shift = 60;
    while (shift > 0 && (value >> shift & 15) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        out[n++] = "0123456789abcdef"[value >> shift & 15];
    out[n] = '\0';
}

_Noreturn static void fail(const struct solo5_mft_entry *e,
                           const struct virtio_dev *d, const char *why)
{
    solo5_say(
        "virtio: ", e->type == SOLO5_MFT_DEV_NET_BASIC ? "net '" : "block '",
        e->name, "' (", d->where, "): ", why, "\n", NULL);
    virtio_exit(1);
}

static void discover(const struct virtio_args *a)
{
    for (unsigned i = 0; i < a->nmmio && ndev < VIRTIO_DEVICES_MAX; i++) {
        const char *why;
        struct virtio_dev *d = &devs[ndev];
        if (virtio_mmio_probe(d, a->mmio[i].base, a->mmio[i].size, &why) < 0)
            solo5_say("virtio: ", d->where, ": ", why, "; skipped\n", NULL);
        else if (d->type != 0)
            ndev++;
    }
    ndev += virtio_pci_scan(devs + ndev, VIRTIO_DEVICES_MAX - ndev);
}

/* Start device d for manifest entry i of m. */
static void start(struct solo5_mft *m, uint32_t i, struct virtio_dev *d)
{
    struct solo5_mft_entry *e = &m->e[i];
    const char *why;
    if (e->type == SOLO5_MFT_DEV_NET_BASIC) {
        struct vnet *n = virtio_dma_alloc(sizeof *n, 16);
        if (n == NULL || vnet_start(n, d, e->name, &why) < 0)
            fail(e, d, n ? why : "no memory for the driver");
        for (int i = 0; i < 6; i++)
            e->u.net_basic.mac[i] = n->mac[i];
        e->u.net_basic.mtu = n->mtu;
        e->b.data = n;
        /* No tender here: the platform grants what the device offers. */
        solo5_ext.granted |= MIRAGE_EXT_NET_VHDR;
        solo5_ext.net_vhdr[i] = (uint8_t)vnet_offers(n);
    } else {
        struct vblk *b = virtio_dma_alloc(sizeof *b, 16);
        if (b == NULL || vblk_start(b, d, e->name, &why) < 0)
            fail(e, d, b ? why : "no memory for the driver");
        e->u.block_basic.capacity = b->capacity;
        e->u.block_basic.block_size = (uint16_t)b->block_size;
        e->b.data = b;
    }
    e->attached = true;
}

const struct solo5_mft *virtio_devices_init(const struct virtio_args *a)
{
    const struct solo5_mft *note =
        (const void *)(virtio_manifest_note + MFT_OFFSET);
    struct solo5_mft *m = (struct solo5_mft *)mft_copy;
    uint32_t entries = note->entries < SOLO5_MFT_MAX_ENTRIES
                           ? note->entries
                           : SOLO5_MFT_MAX_ENTRIES;
    m->version = note->version;
    m->entries = entries;
    for (uint32_t i = 0; i < entries; i++)
        m->e[i] = note->e[i];
    discover(a);
    uint32_t types[VIRTIO_DEVICES_MAX];
    for (unsigned i = 0; i < ndev; i++)
        types[i] = devs[i].type;
    int assign[SOLO5_MFT_MAX_ENTRIES];
    char msg[MATCH_MSG_SIZE];
    if (virtio_match(types, ndev, m, a, assign, msg) < 0) {
        solo5_say("virtio: ", msg, "\n", NULL);
        if (a->nmap == 0 && ndev == 0 && a->nmmio == 0)
            solo5_say("virtio: the machine has no virtio device on PCI and "
                      "none on the command line (on QEMU microvm, "
                      "-M microvm,acpi=off puts them there)\n",
                      NULL);
        virtio_exit(1);
    }
    bool taken[VIRTIO_DEVICES_MAX] = {false};
    for (uint32_t i = 1; i < entries; i++)
        if (assign[i] >= 0) {
            start(m, i, &devs[assign[i]]);
            taken[assign[i]] = true;
        }
    for (unsigned i = 0; i < ndev; i++)
        if (!taken[i] && devs[i].type == VIRTIO_ID_CONSOLE) {
            virtio_console_start(&devs[i]);
            break;
        }
    return m;
}

enum plat_result solo5_net_offload(plat_handle h,
                                   const struct solo5_mft_entry *e,
                                   uint32_t offloads)
{
    (void)h;
    return vnet_offload(e->b.data, offloads);
}

enum plat_result solo5_net_send(plat_handle h, const struct solo5_mft_entry *e,
                                const void *buf, size_t len)
{
    (void)h;
    return vnet_send(e->b.data, buf, len);
}

enum plat_result solo5_net_receive(plat_handle h,
                                   const struct solo5_mft_entry *e, void *buf,
                                   size_t size, size_t *read)
{
    (void)h;
    return vnet_receive(e->b.data, buf, size, read);
}

enum plat_result solo5_block_transfer(plat_handle h,
                                      const struct solo5_mft_entry *e,
                                      bool write, uint64_t offset, void *buf,
                                      size_t size)
{
    (void)h;
    return vblk_transfer(e->b.data, write, offset, buf, size);
}

void virtio_net_flush(void)
{
    plat_handle_set nets = solo5_mft_acquired(SOLO5_MFT_DEV_NET_BASIC);
    for (unsigned h = 1; h <= PLAT_MAX_DEVICES; h++) {
        const struct solo5_mft_entry *e =
            nets >> h & 1 ? solo5_mft_device(h, SOLO5_MFT_DEV_NET_BASIC) : NULL;
        if (e != NULL)
            vnet_flush(e->b.data);
    }
}

plat_handle_set virtio_net_ready(plat_handle_set nets)
{
    plat_handle_set ready = 0;
    for (unsigned h = 1; h <= PLAT_MAX_DEVICES && nets >> h; h++) {
        if (!(nets >> h & 1))
            continue;
        const struct solo5_mft_entry *e =
            solo5_mft_device(h, SOLO5_MFT_DEV_NET_BASIC);
        if (e != NULL && vnet_pending(e->b.data))
            ready |= (plat_handle_set)1 << h;
    }
    return ready;
}
