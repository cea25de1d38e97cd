/* Matching manifest entries to virtio devices (see match.h). */
#include "match.h"
#include "../solo5/manifest.h"
#include "transport.h"

#include <stdbool.h>

struct msg {
    char *buf;
    size_t n;
};

static void add(struct msg *m, const char *s)
{
    for (; *s && m->n < MATCH_MSG_SIZE - 1; s++)
        m->buf[m->n++] = *s;
    m->buf[m->n] = '\0';
}

static void add_num(struct msg *m, uint64_t v)
{
    char d[21];
    int i = 20;
    d[i] = '\0';
    do
        d[--i] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    add(m, d + i);
}

static uint32_t virtio_type(uint32_t mft_type)
{
    return mft_type == SOLO5_MFT_DEV_NET_BASIC ? VIRTIO_ID_NET
                                               : VIRTIO_ID_BLOCK;
}

static const char *kind(uint32_t mft_type)
{
    return mft_type == SOLO5_MFT_DEV_NET_BASIC ? "net" : "block";
}

static const char *driver(uint32_t mft_type)
{
    return mft_type == SOLO5_MFT_DEV_NET_BASIC ? "virtio-net" : "virtio-blk";
}

/* The index in types of the nth device of `type`, or -1. */
static int nth(const uint32_t *types, unsigned ndev, uint32_t type, uint32_t n)
{
    for (unsigned i = 0; i < ndev; i++)
        if (types[i] == type && n-- == 0)
            return (int)i;
    return -1;
}

static unsigned count(const uint32_t *types, unsigned ndev, uint32_t type)
{
    unsigned c = 0;
    for (unsigned i = 0; i < ndev; i++)
        c += types[i] == type;
    return c;
}

static bool is_device(const struct solo5_mft_entry *e)
{
    return e->type == SOLO5_MFT_DEV_NET_BASIC ||
           e->type == SOLO5_MFT_DEV_BLOCK_BASIC;
}

int virtio_match(const uint32_t *types, unsigned ndev,
                 const struct solo5_mft *mft, const struct virtio_args *a,
                 int *assign, char msg[MATCH_MSG_SIZE])
{
    struct msg m = {msg, 0};
    msg[0] = '\0';
    uint32_t entries = mft->entries < SOLO5_MFT_MAX_ENTRIES
                           ? mft->entries
                           : SOLO5_MFT_MAX_ENTRIES;
    bool used[64] = {false};
    for (uint32_t i = 0; i < entries; i++)
        assign[i] = -1;
    for (unsigned k = 0; k < a->nmap; k++) {
        const struct virtio_map_arg *p = &a->map[k];
        uint32_t i = 1;
        while (i < entries && !(mft->e[i].type == p->type &&
                                solo5_mft_name_equals(mft->e[i].name, p->name)))
            i++;
        add(&m, "virtio.");
        add(&m, kind(p->type));
        add(&m, ":");
        add(&m, p->name);
        add(&m, "=");
        add_num(&m, p->index);
        if (i == entries) {
            add(&m, ": the image has no ");
            add(&m, kind(p->type));
            add(&m, " device of that name");
            return -1;
        }
        int d = nth(types, ndev, virtio_type(p->type), p->index);
        if (d < 0) {
            add(&m, ": there are only ");
            add_num(&m, count(types, ndev, virtio_type(p->type)));
            add(&m, " ");
            add(&m, driver(p->type));
            add(&m, " devices");
            return -1;
        }
        if (used[d]) {
            add(&m, ": that device is already given to another");
            return -1;
        }
        used[d] = true;
        assign[i] = d;
        m.n = 0;
        msg[0] = '\0';
    }
    for (uint32_t i = 1; i < entries; i++) {
        const struct solo5_mft_entry *e = &mft->e[i];
        if (!is_device(e) || assign[i] >= 0)
            continue;
        uint32_t want = virtio_type(e->type);
        unsigned d = 0;
        while (d < ndev && (types[d] != want || used[d]))
            d++;
        if (d == ndev) {
            add(&m, kind(e->type));
            add(&m, " '");
            add(&m, e->name);
            add(&m, "': no ");
            add(&m, driver(e->type));
            add(&m, " device left for it (found ");
            add_num(&m, count(types, ndev, want));
            add(&m, ")");
            return -1;
        }
        used[d] = true;
        assign[i] = (int)d;
    }
    return 0;
}
