/* Matching the command line's devices with the manifest and attaching the
 * host backends. */
#include <string.h>
#include <sys/random.h>

#include "tender.h"

static const char *kind_name(uint32_t type)
{
    return type == SOLO5_MFT_DEV_NET_BASIC ? "network" : "block";
}

static int attach_one(struct solo5_mft_entry *e, const struct tender_dev_opt *d,
                      bool vhdr, uint8_t *offloads, char *err)
{
    if (e->type == SOLO5_MFT_DEV_NET_BASIC) {
        uint16_t mtu;
        if (d->sector_size)
            return tender_errf(err,
                               "--block-sector-size:%s: '%s' is a "
                               "network device",
                               d->name, d->name);
        if (tender_tap_open(d->backend, vhdr, &e->b.hostfd, &mtu, offloads,
                            err) < 0)
            return -1;
        e->u.net_basic.mtu = mtu;
        if (d->has_mac) {
            memcpy(e->u.net_basic.mac, d->mac, 6);
        } else {
            if (getrandom(e->u.net_basic.mac, 6, 0) != 6)
                return tender_errf(err, "cannot get a random MAC address");
            /* Locally administered, unicast. */
            e->u.net_basic.mac[0] =
                (uint8_t)((e->u.net_basic.mac[0] & 0xfc) | 0x02);
        }
    } else {
        uint64_t cap;
        if (d->has_mac)
            return tender_errf(err, "--net-mac:%s: '%s' is a block device",
                               d->name, d->name);
        if (tender_block_open(d->backend, d->sector_size, &e->b.hostfd, &cap,
                              err) < 0)
            return -1;
        e->u.block_basic.capacity = cap;
        e->u.block_basic.block_size =
            (uint16_t)(d->sector_size ? d->sector_size : TENDER_SECTOR_DEFAULT);
    }
    e->attached = true;
    return 0;
}

int tender_devices_attach(struct solo5_mft *mft, const struct tender_opts *o,
                          bool vhdr, uint8_t *net_vhdr, char *err)
{
    memset(net_vhdr, 0, SOLO5_MFT_MAX_ENTRIES);
    for (unsigned i = 0; i < o->ndev; i++) {
        const struct tender_dev_opt *d = &o->dev[i];
        struct solo5_mft_entry *e = tender_mft_find(mft, d->name);
        if (!e)
            return tender_errf(err,
                               "device '%s' is not in the image's "
                               "manifest",
                               d->name);
        uint32_t want = d->kind == TENDER_DEV_NET ? SOLO5_MFT_DEV_NET_BASIC
                        : d->kind == TENDER_DEV_BLOCK
                            ? SOLO5_MFT_DEV_BLOCK_BASIC
                            : e->type;
        if (want != e->type)
            return tender_errf(err, "device '%s' is a %s device, not %s",
                               d->name, kind_name(e->type), kind_name(want));
    }
    for (unsigned i = 1; i < mft->entries; i++) {
        struct solo5_mft_entry *e = &mft->e[i];
        const struct tender_dev_opt *d = NULL;
        for (unsigned j = 0; j < o->ndev && !d; j++)
            if (strcmp(o->dev[j].name, e->name) == 0 &&
                o->dev[j].kind != TENDER_DEV_UNSET)
                d = &o->dev[j];
        if (!d)
            return tender_errf(
                err,
                "%s device '%s' is not attached (use "
                "--%s:%s=...)",
                kind_name(e->type), e->name,
                e->type == SOLO5_MFT_DEV_NET_BASIC ? "net" : "block", e->name);
        if (attach_one(e, d, vhdr, &net_vhdr[i], err) < 0)
            return -1;
    }
    return 0;
}
