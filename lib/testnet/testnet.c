/* The test network (testnet.h): ports with receive queues, the frames in
 * flight in a min-heap (<mirage/minheap.h>) by arrival time, and a
 * splitmix64 generator that decides every fault, so a seed replays a run
 * exactly. */
#include "testnet.h"

#include <mirage/error.h>
#include <mirage/ip.h>
#include <mirage/minheap.h>
#include <stdlib.h>
#include <string.h>

/* Frames a port's receive queue holds before the switch drops more. */
#define RX_QUEUE_MAX 4096

struct frame {
    struct frame *next;              /* receive queue link */
    struct mirage_minheap_node node; /* in flight until key, its arrival */
    unsigned port;                   /* the receiving port */
    bool vhdr;                       /* injected with its vhdr */
    size_t len;
    uint8_t data[];
};

#define frame_of(n) ((struct frame *)((char *)(n)-offsetof(struct frame, node)))

struct port {
    char *name;
    uint8_t mac[6];
    size_t mtu;
    bool acquired;
    bool down;
    uint32_t offloads_allowed; /* what acquiring may grant */
    uint32_t offloads;         /* granted: frames carry a vhdr */
    struct testnet_faults faults;
    uint64_t busy_until; /* when the link finishes sending its queue */
    struct frame *rx_head, *rx_tail;
    size_t rx_len;
};

struct testnet {
    uint64_t now;
    uint64_t rng;
    struct port ports[TESTNET_MAX_PORTS];
    unsigned nports;
    struct testnet_faults default_faults;
    struct mirage_minheap flight;
    testnet_tap_fn tap;
    void *tap_arg;
    struct testnet_stats stats;
    bool pass_gso; /* testnet_set_pass_gso */
};

static uint64_t next_random(struct testnet *tn)
{
    uint64_t z = (tn->rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A value in [0, bound) (bound > 0); the tiny modulo bias is harmless. */
static uint64_t below(struct testnet *tn, uint64_t bound)
{
    return next_random(tn) % bound;
}

static bool chance(struct testnet *tn, uint32_t ppm)
{
    return ppm && below(tn, 1000000) < ppm;
}

struct testnet *testnet_create(uint64_t seed)
{
    struct testnet *tn = calloc(1, sizeof *tn);
    if (!tn)
        return NULL;
    tn->now = 1000000000u;
    tn->rng = seed;
    mirage_minheap_init(&tn->flight);
    return tn;
}

static void free_queue(struct port *p)
{
    while (p->rx_head) {
        struct frame *f = p->rx_head;
        p->rx_head = f->next;
        free(f);
    }
    p->rx_tail = NULL;
    p->rx_len = 0;
}

void testnet_destroy(struct testnet *tn)
{
    for (unsigned i = 0; i < tn->nports; i++) {
        free_queue(&tn->ports[i]);
        free(tn->ports[i].name);
    }
    struct mirage_minheap_node *n;
    while ((n = mirage_minheap_pop(&tn->flight)))
        free(frame_of(n));
    mirage_minheap_free(&tn->flight);
    free(tn);
}

static int find_port(const struct testnet *tn, const char *name)
{
    for (unsigned i = 0; i < tn->nports; i++)
        if (strcmp(tn->ports[i].name, name) == 0)
            return (int)i;
    return -1;
}

int testnet_add_port(struct testnet *tn, const char *name, const uint8_t mac[6],
                     size_t mtu)
{
    if (!name || !*name || find_port(tn, name) >= 0 || mtu < 68 || mtu > 65521)
        return MIRAGE_EINVAL;
    if (tn->nports == TESTNET_MAX_PORTS)
        return MIRAGE_ENOSPC;
    size_t n = strlen(name) + 1;
    char *copy = malloc(n);
    if (!copy)
        return MIRAGE_ENOMEM;
    memcpy(copy, name, n);
    struct port *p = &tn->ports[tn->nports];
    *p = (struct port){.name = copy, .mtu = mtu, .faults = tn->default_faults};
    memcpy(p->mac, mac, 6);
    return (int)tn->nports++;
}

void testnet_set_faults(struct testnet *tn, int port,
                        const struct testnet_faults *f)
{
    if (port < 0) {
        tn->default_faults = *f;
        for (unsigned i = 0; i < tn->nports; i++)
            tn->ports[i].faults = *f;
    } else if ((unsigned)port < tn->nports) {
        tn->ports[port].faults = *f;
    }
}

void testnet_set_down(struct testnet *tn, unsigned port, bool down)
{
    if (port < tn->nports)
        tn->ports[port].down = down;
}

void testnet_set_tap(struct testnet *tn, testnet_tap_fn fn, void *arg)
{
    tn->tap = fn;
    tn->tap_arg = arg;
}

const struct testnet_stats *testnet_stats(const struct testnet *tn)
{
    return &tn->stats;
}

size_t testnet_pending(const struct testnet *tn, unsigned port)
{
    return port < tn->nports ? tn->ports[port].rx_len : 0;
}

size_t testnet_in_flight(const struct testnet *tn)
{
    return mirage_minheap_len(&tn->flight);
}

uint64_t testnet_now(const struct testnet *tn)
{
    return tn->now;
}

static void enqueue_rx(struct testnet *tn, struct frame *f)
{
    struct port *p = &tn->ports[f->port];
    if (p->rx_len >= RX_QUEUE_MAX || p->down) {
        tn->stats.queue_drops++;
        free(f);
        return;
    }
    f->next = NULL;
    if (p->rx_tail)
        p->rx_tail->next = f;
    else
        p->rx_head = f;
    p->rx_tail = f;
    p->rx_len++;
    tn->stats.delivered++;
}

static struct frame *new_frame(unsigned port, const void *data, size_t len)
{
    struct frame *f = malloc(sizeof *f + len);
    if (!f)
        return NULL;
    f->next = NULL;
    mirage_minheap_node_init(&f->node);
    f->port = port;
    f->vhdr = false;
    f->len = len;
    memcpy(f->data, data, len);
    return f;
}

int testnet_inject(struct testnet *tn, unsigned port, const void *frame,
                   size_t len)
{
    if (port >= tn->nports || len == 0)
        return MIRAGE_EINVAL;
    struct frame *f = new_frame(port, frame, len);
    if (!f)
        return MIRAGE_ENOMEM;
    f->vhdr = tn->ports[port].offloads != 0;
    enqueue_rx(tn, f);
    return 0;
}

/* Send one copy of a frame towards port `to`, through the faults of the
 * sending port; a frame behind its virtio-net header (vh) is delivered
 * with it, and not corrupted: a host verifies checksums before it
 * coalesces segments. */
static void transmit(struct testnet *tn, struct port *from, unsigned to,
                     const uint8_t *data, size_t len, bool vh)
{
    const struct testnet_faults *fl = &from->faults;
    if (chance(tn, fl->loss_ppm)) {
        tn->stats.lost++;
        return;
    }
    uint64_t start = from->busy_until > tn->now ? from->busy_until : tn->now;
    if (fl->bandwidth_bps) {
        uint64_t backlog =
            (start - tn->now) * (fl->bandwidth_bps / 8) / 1000000000u;
        if (fl->queue_bytes && backlog + len > fl->queue_bytes) {
            tn->stats.queue_drops++;
            return;
        }
        start += (uint64_t)len * 8000000000u / fl->bandwidth_bps;
        from->busy_until = start;
    }
    int copies = chance(tn, fl->dup_ppm) ? 2 : 1;
    if (copies == 2)
        tn->stats.duplicated++;
    bool corrupt = !vh && len > 14 && chance(tn, fl->corrupt_ppm);
    if (corrupt)
        tn->stats.corrupted++;
    size_t bit = corrupt ? (size_t)below(tn, (uint64_t)(len - 14) * 8) : 0;
    for (int c = 0; c < copies; c++) {
        struct frame *f = new_frame(to, data, len);
        if (!f)
            return;
        f->vhdr = vh;
        if (corrupt)
            f->data[14 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
        uint64_t arrival = start + fl->delay_ns +
                           (fl->jitter_ns ? below(tn, fl->jitter_ns) : 0);
        if (fl->reorder_ns && chance(tn, fl->reorder_ppm)) {
            arrival += below(tn, fl->reorder_ns);
            tn->stats.reordered++;
        }
        if (mirage_minheap_add(&tn->flight, &f->node, arrival) != 0)
            free(f);
    }
}

/* Send one frame from port h to the ports it is for. */
/* The ports a frame from h to MAC dst goes to: every other port for a
 * group address or an unknown one, else the one with that MAC. */
static bool switched_to(const struct testnet *tn, plat_handle h,
                        const uint8_t *dst, unsigned i)
{
    if (i == h)
        return false;
    bool known = false;
    for (unsigned j = 0; j < tn->nports && !(dst[0] & 1); j++)
        if (j != h && memcmp(tn->ports[j].mac, dst, 6) == 0)
            known = true;
    return (dst[0] & 1) || !known || memcmp(tn->ports[i].mac, dst, 6) == 0;
}

static void switch_frame(struct testnet *tn, plat_handle h, const uint8_t *data,
                         size_t len)
{
    tn->stats.sent++;
    if (tn->tap)
        tn->tap(tn->tap_arg, (unsigned)h, data, len);
    for (unsigned i = 0; i < tn->nports; i++)
        if (switched_to(tn, h, data, i))
            transmit(tn, &tn->ports[h], i, data, len, false);
}

/* With pass_gso, send the super-segment f (behind its virtio-net header
 * vh, frame_len bytes after it) whole, when every port it goes to has the
 * matching TSO granted: true when sent. */
static bool switch_whole(struct testnet *tn, plat_handle h, const uint8_t *vh,
                         size_t frame_len)
{
    const uint8_t *f = vh + sizeof(struct plat_net_vhdr);
    uint32_t tso = (vh[1] & 0x7f) == PLAT_NET_GSO_TCPV4 ? PLAT_NET_OFFLOAD_TSO4
                                                        : PLAT_NET_OFFLOAD_TSO6;
    if (!tn->pass_gso)
        return false;
    for (unsigned i = 0; i < tn->nports; i++)
        if (switched_to(tn, h, f, i) && !(tn->ports[i].offloads & tso))
            return false;
    tn->stats.sent++;
    if (tn->tap)
        tn->tap(tn->tap_arg, (unsigned)h, f, frame_len);
    for (unsigned i = 0; i < tn->nports; i++)
        if (switched_to(tn, h, f, i))
            transmit(tn, &tn->ports[h], i, vh,
                     sizeof(struct plat_net_vhdr) + frame_len, true);
    return true;
}

static uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Finish the checksum a NEEDS_CSUM frame left to us. */
static void finish_csum(uint8_t *f, size_t len, size_t start, size_t off)
{
    uint16_t sum = mirage_csum_fold(mirage_csum_add(0, f + start, len - start));
    mirage_put_be16(f + start + off, sum ? sum : 0xffff);
}

/* Cut the TCP super-segment f (len bytes; TCP header at tcp, payload from
 * hdr) into segments of mss payload bytes, as a NIC's TSO does, and send
 * each. PLAT_EINVAL when its headers are not what the vhdr said. */
static enum plat_result segment(struct testnet *tn, plat_handle h,
                                const uint8_t *f, size_t len, size_t tcp,
                                size_t mss)
{
    bool v4 = mirage_get_be16(f + 12) == 0x0800;
    if (tcp + 20 > len)
        return PLAT_EINVAL;
    size_t hdr = tcp + (size_t)(f[tcp + 12] >> 4) * 4;
    if (hdr > len || hdr - tcp < 20)
        return PLAT_EINVAL;
    uint8_t *seg = malloc(hdr + mss);
    if (!seg)
        return PLAT_EUNSPEC;
    uint32_t seq = mirage_get_be32(f + tcp + 4);
    uint8_t flags = f[tcp + 13];
    size_t n = 0;
    for (size_t off = hdr; off < len; off += n) {
        n = len - off < mss ? len - off : mss;
        bool last = off + n == len;
        memcpy(seg, f, hdr);
        memcpy(seg + hdr, f + off, n);
        size_t ip = 14, total = hdr + n;
        if (v4) {
            mirage_put_be16(seg + ip + 2, (uint16_t)(total - ip));
            mirage_put_be16(
                seg + ip + 4,
                (uint16_t)(mirage_get_be16(f + ip + 4) + (off - hdr) / mss));
            mirage_put_be16(seg + ip + 10, 0);
            size_t ihl = (size_t)(seg[ip] & 15) * 4;
            mirage_put_be16(seg + ip + 10, mirage_csum_fold(mirage_csum_add(
                                               0, seg + ip, ihl)));
        } else {
            mirage_put_be16(seg + ip + 4, (uint16_t)(total - ip - 40));
        }
        mirage_put_be32(seg + tcp + 4, seq + (uint32_t)(off - hdr));
        /* FIN and PSH go with the last segment, CWR with the first. */
        seg[tcp + 13] =
            (uint8_t)(flags & ~(last ? 0 : 0x09) & ~(off == hdr ? 0 : 0x80));
        /* The field holds the pseudo-header sum of the whole: redo it
         * for this segment's length. */
        struct mirage_ipaddr src, dst;
        if (v4) {
            src = mirage_ipaddr_of_v4(mirage_get_be32(seg + ip + 12));
            dst = mirage_ipaddr_of_v4(mirage_get_be32(seg + ip + 16));
        } else {
            src.version = dst.version = MIRAGE_IP_V6;
            memcpy(src.v6, seg + ip + 8, 16);
            memcpy(dst.v6, seg + ip + 24, 16);
        }
        size_t tlen = total - tcp;
        mirage_put_be16(seg + tcp + 16, 0);
        uint32_t sum =
            mirage_ip_pseudo_sum(&src, &dst, MIRAGE_IP_PROTO_TCP, tlen);
        mirage_put_be16(seg + tcp + 16, mirage_csum_fold(mirage_csum_add(
                                            sum, seg + tcp, tlen)));
        switch_frame(tn, h, seg, total);
    }
    free(seg);
    return PLAT_OK;
}

/* A frame behind a virtio-net header from a port with offloads: its
 * checksum finished and its super-segment cut, as a host would. */
static enum plat_result write_offloaded(struct testnet *tn, plat_handle h,
                                        const uint8_t *buf, size_t len)
{
    const uint8_t *v = buf;
    uint8_t *f = malloc(len);
    if (!f)
        return PLAT_EUNSPEC;
    len -= sizeof(struct plat_net_vhdr);
    memcpy(f, buf + sizeof(struct plat_net_vhdr), len);
    size_t start = get_le16(v + 6), off = get_le16(v + 8);
    size_t gso = get_le16(v + 4);
    enum plat_result r = PLAT_OK;
    if (v[1] != PLAT_NET_GSO_NONE) {
        if (!(v[0] & PLAT_NET_VHDR_NEEDS_CSUM) || gso == 0)
            r = PLAT_EINVAL;
        else if (!switch_whole(tn, h, buf, len))
            r = segment(tn, h, f, len, start, gso);
    } else if (len > tn->ports[h].mtu + 14) {
        r = PLAT_EINVAL;
    } else {
        if (v[0] & PLAT_NET_VHDR_NEEDS_CSUM) {
            if (start + off + 2 > len)
                r = PLAT_EINVAL;
            else
                finish_csum(f, len, start, off);
        }
        if (r == PLAT_OK)
            switch_frame(tn, h, f, len);
    }
    free(f);
    return r;
}

enum plat_result testnet_write(struct testnet *tn, plat_handle h,
                               const void *buf, size_t len)
{
    if (h >= tn->nports || !tn->ports[h].acquired || !buf)
        return PLAT_EINVAL;
    struct port *from = &tn->ports[h];
    size_t vh = from->offloads ? sizeof(struct plat_net_vhdr) : 0;
    size_t max =
        from->offloads & (PLAT_NET_OFFLOAD_TSO4 | PLAT_NET_OFFLOAD_TSO6)
            ? PLAT_NET_GSO_MAX
            : from->mtu + 14;
    if (len < vh + 14 || len > vh + max)
        return PLAT_EINVAL;
    if (from->down)
        return PLAT_EUNSPEC;
    if (vh)
        return write_offloaded(tn, h, buf, len);
    switch_frame(tn, h, buf, len);
    return PLAT_OK;
}

void testnet_set_pass_gso(struct testnet *tn, bool pass)
{
    tn->pass_gso = pass;
}

void testnet_set_offloads(struct testnet *tn, unsigned port, uint32_t offloads)
{
    if (port < tn->nports)
        tn->ports[port].offloads_allowed = offloads;
}

enum plat_result testnet_acquire_offload(struct testnet *tn, const char *name,
                                         uint32_t wanted, plat_handle *h,
                                         struct plat_net_info *info)
{
    enum plat_result r = testnet_acquire(tn, name, h, info);
    if (r != PLAT_OK)
        return r;
    uint32_t o = wanted & tn->ports[*h].offloads_allowed;
    if (!(o & PLAT_NET_OFFLOAD_CSUM))
        o = 0;
    tn->ports[*h].offloads = o;
    info->offloads = o;
    return PLAT_OK;
}

enum plat_result testnet_acquire(struct testnet *tn, const char *name,
                                 plat_handle *h, struct plat_net_info *info)
{
    int i = name ? find_port(tn, name) : -1;
    if (i < 0 || tn->ports[i].acquired)
        return PLAT_EINVAL;
    if (tn->ports[i].down)
        return PLAT_EUNSPEC;
    tn->ports[i].acquired = true;
    tn->ports[i].offloads = 0;
    *h = (plat_handle)i;
    memcpy(info->mac, tn->ports[i].mac, 6);
    info->mtu = tn->ports[i].mtu;
    info->offloads = 0;
    return PLAT_OK;
}

enum plat_result testnet_read(struct testnet *tn, plat_handle h, void *buf,
                              size_t size, size_t *read)
{
    if (h >= tn->nports || !tn->ports[h].acquired)
        return PLAT_EINVAL;
    struct port *p = &tn->ports[h];
    size_t vh = p->offloads ? sizeof(struct plat_net_vhdr) : 0;
    size_t max = p->offloads & (PLAT_NET_OFFLOAD_TSO4 | PLAT_NET_OFFLOAD_TSO6)
                     ? PLAT_NET_GSO_MAX
                     : p->mtu + 14;
    if (size < vh + max)
        return PLAT_EINVAL;
    struct frame *f = p->rx_head;
    tn->stats.reads++;
    if (!f) {
        tn->stats.empty_reads += !p->down;
        return p->down ? PLAT_EUNSPEC : PLAT_AGAIN;
    }
    p->rx_head = f->next;
    if (!p->rx_head)
        p->rx_tail = NULL;
    p->rx_len--;
    if (p->down) {
        free(f);
        return PLAT_EUNSPEC;
    }
    /* Injected frames may exceed the MTU: they are cut, as a NIC would. */
    /* A port with offloads gets an empty header: no claim about the
     * checksum, no super-segment. */
    if (f->vhdr)
        vh = 0;
    memset(buf, 0, vh);
    size_t n = f->len < size - vh ? f->len : size - vh;
    memcpy((uint8_t *)buf + vh, f->data, n);
    *read = vh + n;
    free(f);
    return PLAT_OK;
}

static void deliver_due(struct testnet *tn)
{
    struct mirage_minheap_node *n;
    while ((n = mirage_minheap_peek(&tn->flight)) && n->key <= tn->now) {
        mirage_minheap_remove(&tn->flight, n);
        enqueue_rx(tn, frame_of(n));
    }
}

static plat_handle_set ready_set(const struct testnet *tn)
{
    plat_handle_set s = 0;
    for (unsigned i = 0; i < tn->nports; i++)
        if (tn->ports[i].acquired && tn->ports[i].rx_head)
            s |= (plat_handle_set)1 << i;
    return s;
}

void testnet_yield(struct testnet *tn, uint64_t deadline,
                   plat_handle_set *ready)
{
    deliver_due(tn);
    *ready = ready_set(tn);
    while (!*ready && tn->now < deadline) {
        uint64_t next = deadline;
        const struct mirage_minheap_node *n = mirage_minheap_peek(&tn->flight);
        if (n && n->key < next)
            next = n->key;
        tn->now = next;
        deliver_due(tn);
        *ready = ready_set(tn);
    }
}
