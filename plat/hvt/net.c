/* The network transport on hvt (see plat/solo5/devices.h). Under a tender
 * that serves the device through NETV (MIRAGE_EXT_NET_VEC, granted per
 * device in the extension record), frames move in batches, several per
 * VM exit: a written frame is queued in the device's transmit area and
 * leaves with the next NETV, which also refills the receive area; with
 * MIRAGE_EXT_NETV_WAIT granted, plat_yield makes one NETV_WAIT for every
 * device instead of a NETV each and a POLL. Under
 * any other tender (Solo5's, or a device not in net_vec), one frame per
 * NET_WRITE or NET_READ hypercall, as Solo5 does. Offloads
 * (MIRAGE_EXT_NET_VHDR) are switched with NET_OFFLOAD; the frames then
 * carry their virtio-net header both ways, and a device whose tap takes
 * TSO gets areas that hold 64 KiB frames; such super-frames move by
 * themselves with NET_WRITE and NET_READ (see DIRECT). */
#include "../solo5/devices.h"
#include "../solo5/ext.h"
#include "hvt.h"

#define TX_AREA (32u * 1024u)
#define RX_AREA (64u * 1024u)
/* A device whose tap takes TSO: NETV reads while a 64 KiB frame fits, so
 * its receive area holds two (frames sent are at most DIRECT bytes). */
#define RX_AREA_TSO                                                            \
    (2 *                                                                       \
     MIRAGE_NETV_FRAME_SPACE(MIRAGE_NET_VHDR_SIZE + MIRAGE_NET_GSO_MAX - 14))
#define NETV_DEVICES 4 /* batched devices; any more use the plain path */
/* A frame longer than this (a TSO super-frame) moves with NET_WRITE or
 * NET_READ from or into the caller's buffer, not copied through an area:
 * one VM exit per frame is already few (16 per MiB), and where guest
 * instructions are emulated the copy costs more than the exit. A frame
 * is sent so at once; after receiving one, the next is read so, until a
 * short one comes. */
#define DIRECT (16u * 1024u)
_Static_assert(sizeof(struct mirage_netv_frame) + DIRECT <= TX_AREA,
               "a frame sent through NETV fits the transmit area");

struct netv_dev {
    plat_handle handle; /* 0: slot free */
    uint8_t *tx, *rx;
    uint64_t rx_size;
    uint64_t tx_used;
    uint32_t tx_count;
    enum plat_result tx_error; /* of a batch sent after its writes returned */
    uint64_t rx_used, rx_at;   /* bytes received, bytes consumed */
    bool rx_empty;             /* the host had no more at the last NETV */
    /* The last frame received was longer than DIRECT: the next one is
     * read with NET_READ into the caller's buffer, not through the area. */
    bool rx_direct;
};
static struct netv_dev devs[NETV_DEVICES];

/* The platform library links without the runtime's libc (test guests).
 * One string instruction: where guest instructions are emulated (nested
 * KVM) it costs one emulation, not one per word. */
static void copy(void *to, const void *from, size_t n)
{
    __asm__ volatile("rep movsb" : "+D"(to), "+S"(from), "+c"(n) : : "memory");
}

static uint64_t padded(uint64_t len)
{
    return (len + MIRAGE_NETV_ALIGN - 1) & ~(uint64_t)(MIRAGE_NETV_ALIGN - 1);
}

uint64_t hvt_net_init(const struct solo5_mft *mft, uint64_t free_start)
{
    unsigned n = 0;
    for (uint32_t i = 1; i < mft->entries && i < 64 && n < NETV_DEVICES; i++) {
        uint32_t offloads =
            solo5_ext_granted(MIRAGE_EXT_NET_VHDR) ? solo5_ext.net_vhdr[i] : 0;
        bool tso =
            offloads & (MIRAGE_NET_OFFLOAD_TSO4 | MIRAGE_NET_OFFLOAD_TSO6);
        struct netv_dev *d = &devs[n];
        d->rx_size = tso ? RX_AREA_TSO : RX_AREA;
        uint64_t largest =
            mirage_net_frame_max(mft->e[i].u.net_basic.mtu, offloads);
        if (mft->e[i].type != SOLO5_MFT_DEV_NET_BASIC ||
            !solo5_ext_granted(MIRAGE_EXT_NET_VEC) ||
            !(solo5_ext.net_vec & (1ull << i)) ||
            MIRAGE_NETV_FRAME_SPACE(largest - 14) > d->rx_size)
            continue;
        d->handle = i;
        d->tx = (uint8_t *)(uintptr_t)free_start;
        d->rx = d->tx + TX_AREA;
        free_start += TX_AREA + d->rx_size;
        n++;
    }
    return free_start;
}

static struct netv_dev *netv_dev(plat_handle h)
{
    for (unsigned i = 0; i < NETV_DEVICES && devs[i].handle; i++)
        if (devs[i].handle == h)
            return &devs[i];
    return NULL;
}

/* The NETV record of device d: its queued frames, and its receive area
 * if `receive` (it must have been consumed). The results read EUNSPEC
 * until the tender writes them. */
static struct mirage_hvt_netv netv_record(const struct netv_dev *d,
                                          bool receive)
{
    return (struct mirage_hvt_netv){
        .handle = d->handle,
        .tx_area = (uint64_t)(uintptr_t)d->tx,
        .tx_size = d->tx_used,
        .tx_count = d->tx_count,
        .rx_area = (uint64_t)(uintptr_t)d->rx,
        .rx_size = receive ? d->rx_size : 0,
        .ret = SOLO5_R_EUNSPEC,
        .rx_ret = SOLO5_R_EUNSPEC,
    };
}

/* Take in the results of d's record v. */
static void netv_done(struct netv_dev *d, const struct mirage_hvt_netv *v)
{
    if (v->ret != SOLO5_R_OK)
        d->tx_error = (enum plat_result)v->ret;
    d->tx_used = 0;
    d->tx_count = 0;
    if (v->rx_size > 0) {
        d->rx_at = 0;
        d->rx_used = v->rx_ret == SOLO5_R_OK ? v->rx_used : 0;
        d->rx_empty = v->rx_empty || v->rx_count == 0;
    }
}

/* One NETV: send the queued frames, then refill the receive area if
 * `receive` (it must have been consumed). */
static void netv_call(struct netv_dev *d, bool receive)
{
    struct mirage_hvt_netv v = netv_record(d, receive);
    hvt_hypercall(MIRAGE_HVT_HC_NETV, &v);
    netv_done(d, &v);
}

void hvt_net_exit(void)
{
    for (unsigned i = 0; i < NETV_DEVICES && devs[i].handle; i++)
        if (devs[i].tx_count)
            netv_call(&devs[i], false);
}

plat_handle_set hvt_net_flush(plat_handle_set *empty)
{
    plat_handle_set set = 0;
    *empty = 0;
    for (unsigned i = 0; i < NETV_DEVICES && devs[i].handle; i++) {
        struct netv_dev *d = &devs[i];
        plat_handle_set bit = (plat_handle_set)1 << d->handle;
        bool consumed = d->rx_at >= d->rx_used && !d->rx_direct;
        if (d->tx_count || (consumed && !d->rx_empty)) {
            netv_call(d, consumed);
            if (consumed && d->rx_empty)
                *empty |= bit;
        }
        if (d->rx_at < d->rx_used)
            set |= bit;
    }
    return set;
}

void hvt_net_polled(plat_handle_set ready)
{
    for (unsigned i = 0; i < NETV_DEVICES && devs[i].handle; i++)
        if (ready & ((plat_handle_set)1 << devs[i].handle))
            devs[i].rx_empty = false;
}

bool hvt_net_wait(uint64_t timeout, plat_handle_set *ready)
{
    if (!solo5_ext_granted(MIRAGE_EXT_NETV_WAIT))
        return false;
    struct mirage_hvt_netv v[NETV_DEVICES];
    struct netv_dev *of[NETV_DEVICES];
    plat_handle_set pending = 0;
    bool sends = false;
    uint32_t n = 0;
    for (unsigned i = 0; i < NETV_DEVICES && devs[i].handle; i++) {
        struct netv_dev *d = &devs[i];
        bool consumed = d->rx_at >= d->rx_used && !d->rx_direct;
        if (d->rx_at < d->rx_used)
            pending |= (plat_handle_set)1 << d->handle;
        sends |= d->tx_count > 0;
        if (d->tx_count || consumed) {
            of[n] = d;
            v[n++] = netv_record(d, consumed);
        }
    }
    /* Frames still to read: return them, after sending what is queued. */
    if (pending && !sends) {
        *ready = pending;
        return true;
    }
    struct mirage_hvt_netv_wait w = {
        .netv = (uint64_t)(uintptr_t)v,
        .count = n,
        .timeout_nsecs = pending                          ? 0
                         : timeout > MIRAGE_NETV_WAIT_MAX ? MIRAGE_NETV_WAIT_MAX
                                                          : timeout,
    };
    hvt_hypercall(MIRAGE_HVT_HC_NETV_WAIT, &w);
    for (uint32_t i = 0; i < n; i++)
        netv_done(of[i], &v[i]);
    *ready = w.ready_set; /* 0 unless the tender wrote it */
    for (unsigned i = 0; i < NETV_DEVICES && devs[i].handle; i++) {
        struct netv_dev *d = &devs[i];
        plat_handle_set bit = (plat_handle_set)1 << d->handle;
        if (d->rx_at < d->rx_used)
            *ready |= bit; /* frames in the area: rx_empty is the host's */
        else if (*ready & bit)
            d->rx_empty = false; /* waiting at the host, not received */
    }
    return true;
}

enum plat_result solo5_net_offload(plat_handle h,
                                   const struct solo5_mft_entry *e,
                                   uint32_t offloads)
{
    (void)e;
    struct netv_dev *d = netv_dev(h);
    if (d != NULL && d->tx_count)
        netv_call(d, false); /* frames queued before go as they were */
    struct mirage_hvt_net_offload o = {.handle = h, .offloads = offloads};
    hvt_hypercall(MIRAGE_HVT_HC_NET_OFFLOAD, &o);
    return (enum plat_result)o.ret;
}

/* One NET_WRITE of buf[0..len): the tender reads the frame where it is. */
static enum plat_result net_write(plat_handle h, const void *buf, size_t len)
{
    struct solo5_hvt_net_io io = {
        .handle = h, .data = (uint64_t)(uintptr_t)buf, .len = len};
    hvt_hypercall(SOLO5_HVT_HC_NET_WRITE, &io);
    return (enum plat_result)io.ret;
}

/* One NET_READ into buf (size bytes). */
static enum plat_result net_read(plat_handle h, void *buf, size_t size,
                                 size_t *read)
{
    struct solo5_hvt_net_io io = {
        .handle = h, .data = (uint64_t)(uintptr_t)buf, .len = size};
    hvt_hypercall(SOLO5_HVT_HC_NET_READ, &io);
    if (io.ret == PLAT_OK)
        *read = io.len;
    return (enum plat_result)io.ret;
}

enum plat_result solo5_net_send(plat_handle h, const struct solo5_mft_entry *e,
                                const void *buf, size_t len)
{
    struct netv_dev *d = netv_dev(h);
    if (d == NULL)
        return net_write(h, buf, len);
    (void)e;
    if (d->tx_error != PLAT_OK) {
        enum plat_result r = d->tx_error;
        d->tx_error = PLAT_OK;
        return r;
    }
    if (len > DIRECT) { /* after the frames queued before it */
        if (d->tx_count)
            netv_call(d, false);
        return net_write(h, buf, len);
    }
    uint64_t need = sizeof(struct mirage_netv_frame) + padded(len);
    if (TX_AREA - d->tx_used < need)
        netv_call(d, false);
    struct mirage_netv_frame f = {.len = (uint32_t)len};
    copy(d->tx + d->tx_used, &f, sizeof f);
    copy(d->tx + d->tx_used + sizeof f, buf, len);
    d->tx_used += need;
    d->tx_count++;
    return PLAT_OK;
}

enum plat_result solo5_net_receive(plat_handle h,
                                   const struct solo5_mft_entry *e, void *buf,
                                   size_t size, size_t *read)
{
    struct netv_dev *d = netv_dev(h);
    if (d == NULL)
        return net_read(h, buf, size, read);
    (void)e;
    if (d->rx_at >= d->rx_used) {
        /* Consumed: ask the host only if it may have more. The frames
         * written meanwhile leave with the same call. */
        if (d->rx_empty)
            return PLAT_AGAIN;
        if (d->rx_direct) {
            enum plat_result r = net_read(h, buf, size, read);
            d->rx_empty = r == PLAT_AGAIN;
            d->rx_direct = r != PLAT_OK || *read > DIRECT;
            return r;
        }
        netv_call(d, true);
        if (d->rx_used == 0)
            return PLAT_AGAIN;
    }
    struct mirage_netv_frame f;
    copy(&f, d->rx + d->rx_at, sizeof f);
    if (f.len > size || d->rx_used - d->rx_at - sizeof f < f.len) {
        d->rx_at = d->rx_used; /* a tender's bug: drop the batch */
        return PLAT_EUNSPEC;
    }
    copy(buf, d->rx + d->rx_at + sizeof f, f.len);
    d->rx_at += sizeof f + padded(f.len);
    d->rx_direct = f.len > DIRECT;
    *read = f.len;
    return PLAT_OK;
}
