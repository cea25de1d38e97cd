/* The hvt hypercalls (Solo5 hvt ABI 2): each argument struct is copied in
 * from guest memory, checked, served, and its results copied back. A bad
 * argument address, buffer or handle stops the guest (HVT_HC_FAULT); a
 * well-formed request the device cannot serve returns EINVAL or EUNSPEC
 * to the guest as Solo5 does. */
#include <errno.h>
#include <linux/if_tun.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "hvt.h"

#define ETHERNET_HEADER 14

static const char *const names[MIRAGE_HVT_HC_MAX] = {
    [SOLO5_HVT_HC_WALLTIME] = "WALLTIME",
    [SOLO5_HVT_HC_PUTS] = "PUTS",
    [SOLO5_HVT_HC_POLL] = "POLL",
    [SOLO5_HVT_HC_BLOCK_WRITE] = "BLOCK_WRITE",
    [SOLO5_HVT_HC_BLOCK_READ] = "BLOCK_READ",
    [SOLO5_HVT_HC_NET_WRITE] = "NET_WRITE",
    [SOLO5_HVT_HC_NET_READ] = "NET_READ",
    [SOLO5_HVT_HC_HALT] = "HALT",
    [MIRAGE_HVT_HC_NETV] = "NETV",
    [MIRAGE_HVT_HC_NET_OFFLOAD] = "NET_OFFLOAD",
    [MIRAGE_HVT_HC_NETV_WAIT] = "NETV_WAIT",
};

uint64_t hvt_net_devices(const struct solo5_mft *mft)
{
    uint64_t set = 0;
    for (uint32_t i = 1; i < mft->entries && i < 64; i++)
        if (mft->e[i].type == SOLO5_MFT_DEV_NET_BASIC && mft->e[i].attached)
            set |= 1ull << i;
    return set;
}

int hvt_hypercall_init(struct hvt *h, char *err)
{
    unsigned n = 0;
    for (uint32_t i = 1; i < h->mft->entries; i++)
        n += h->mft->e[i].type == SOLO5_MFT_DEV_NET_BASIC;
    h->poll_fds = calloc(n ? n : 1, sizeof(*h->poll_fds));
    h->poll_handles = calloc(n ? n : 1, sizeof(*h->poll_handles));
    if (h->poll_fds == NULL || h->poll_handles == NULL)
        return tender_errf(err, "out of memory");
    for (uint32_t i = 1; i < h->mft->entries; i++) {
        if (h->mft->e[i].type != SOLO5_MFT_DEV_NET_BASIC)
            continue;
        h->poll_fds[h->npoll] =
            (struct pollfd){.fd = h->mft->e[i].b.hostfd, .events = POLLIN};
        h->poll_handles[h->npoll++] = i;
    }
    return 0;
}

/* The attached device with this handle and type, or NULL. */
static const struct solo5_mft_entry *device(const struct hvt *h,
                                            uint64_t handle, uint32_t type)
{
    if (handle == 0 || handle >= h->mft->entries ||
        h->mft->e[handle].type != type || !h->mft->e[handle].attached)
        return NULL;
    return &h->mft->e[handle];
}

/* The argument struct of hypercall nr: size bytes at gpa, in guest memory
 * the tender may write (results) or only read, copied into *copy. Returns
 * the tender's pointer to it, or NULL with err set (a fault). */
static void *arg_in(struct hvt *h, unsigned nr, uint64_t gpa, void *copy,
                    size_t size, bool writable, char *err)
{
    void *arg =
        writable ? hvt_guest_rw(h, gpa, size) : hvt_guest_ro(h, gpa, size);
    if (arg == NULL) {
        tender_errf(err,
                    "bad hypercall %s: argument at 0x%llx is not in writable "
                    "guest memory",
                    names[nr], (unsigned long long)gpa);
        return NULL;
    }
    memcpy(copy, arg, size);
    return arg;
}

/* A buffer the tender would read (or, if writable, write) is not where
 * the guest may have it. */
static enum hvt_hc_result fault_buf(unsigned nr, uint64_t data, uint64_t len,
                                    bool writable, char *err)
{
    tender_errf(err,
                "bad hypercall %s: buffer at 0x%llx of %llu bytes is not in "
                "%sguest memory",
                names[nr], (unsigned long long)data, (unsigned long long)len,
                writable ? "writable " : "");
    return HVT_HC_FAULT;
}

/* The device and buffer of a block or network request of hypercall nr:
 * the attached device of type with this handle, and *buf = the guest's
 * len bytes at data, which the tender fills if `fill`, else only reads.
 * Returns the device, or NULL with err set (a fault). */
static const struct solo5_mft_entry *
device_buf(struct hvt *h, unsigned nr, uint32_t type, uint64_t handle,
           uint64_t data, uint64_t len, bool fill, uint8_t **buf, char *err)
{
    const struct solo5_mft_entry *e = device(h, handle, type);
    if (e == NULL) {
        tender_errf(err, "bad hypercall %s: unknown handle %llu", names[nr],
                    (unsigned long long)handle);
        return NULL;
    }
    *buf = fill ? hvt_guest_rw(h, data, len) : hvt_guest_ro(h, data, len);
    if (*buf == NULL) {
        fault_buf(nr, data, len, fill, err);
        return NULL;
    }
    return e;
}

static void write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* the console is best effort, as in Solo5 */
        p += w;
        n -= (size_t)w;
    }
}

/* The largest frame the guest moves on network device `handle` (a
 * virtio-net header included once it switched offloads on). */
static uint64_t frame_max(const struct hvt *h, const struct solo5_mft_entry *e,
                          uint64_t handle)
{
    return mirage_net_frame_max(e->u.net_basic.mtu, h->net_on[handle]);
}

/* Write one frame of the guest to device handle's tap: as it is, or
 * behind a zero virtio-net header when the tap has one and the guest
 * moves bare frames. Returns write's result (the frame's bytes). */
static ssize_t tap_write(const struct hvt *h, uint64_t handle, int fd,
                         const uint8_t *frame, uint64_t len)
{
    if (h->net_vhdr[handle] == 0 || h->net_on[handle] != 0)
        return write(fd, frame, len);
    static const struct mirage_net_vhdr zero;
    struct iovec iov[2] = {{(void *)&zero, sizeof zero}, {(void *)frame, len}};
    ssize_t n = writev(fd, iov, 2);
    return n < (ssize_t)sizeof zero ? (n < 0 ? n : 0)
                                    : n - (ssize_t)sizeof zero;
}

/* Read one frame for the guest (at most size bytes) from device handle's
 * tap, dropping its virtio-net header when the guest moves bare frames. */
static ssize_t tap_read(const struct hvt *h, uint64_t handle, int fd,
                        uint8_t *frame, uint64_t size)
{
    if (h->net_vhdr[handle] == 0 || h->net_on[handle] != 0)
        return read(fd, frame, size);
    struct mirage_net_vhdr hdr;
    struct iovec iov[2] = {{&hdr, sizeof hdr}, {frame, size}};
    ssize_t n = readv(fd, iov, 2);
    return n < 0 ? n : n < (ssize_t)sizeof hdr ? 0 : n - (ssize_t)sizeof hdr;
}

/* A frame of len bytes the guest sends on device handle is acceptable:
 * its size, and its header if it has one. */
static bool frame_ok(const struct hvt *h, const struct solo5_mft_entry *e,
                     uint64_t handle, const uint8_t *frame, uint64_t len)
{
    char why[TENDER_ERR_SIZE];
    if (len > frame_max(h, e, handle))
        return false;
    return h->net_on[handle] == 0 ||
           tender_vhdr_check(frame, len, e->u.net_basic.mtu, h->net_on[handle],
                             why) == 0;
}

static enum hvt_hc_result walltime(struct hvt *h, uint64_t gpa, char *err)
{
    struct solo5_hvt_walltime w;
    void *arg = arg_in(h, SOLO5_HVT_HC_WALLTIME, gpa, &w, sizeof(w), true, err);
    if (arg == NULL)
        return HVT_HC_FAULT;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    w.nsecs = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    memcpy(arg, &w, sizeof(w));
    return HVT_HC_CONTINUE;
}

static enum hvt_hc_result puts_(struct hvt *h, uint64_t gpa, char *err)
{
    struct solo5_hvt_puts p;
    if (arg_in(h, SOLO5_HVT_HC_PUTS, gpa, &p, sizeof(p), false, err) == NULL)
        return HVT_HC_FAULT;
    const uint8_t *data = hvt_guest_ro(h, p.data, p.len);
    if (data == NULL)
        return fault_buf(SOLO5_HVT_HC_PUTS, p.data, p.len, false, err);
    write_all(STDOUT_FILENO, data, p.len);
    return HVT_HC_CONTINUE;
}

/* POLL's wait: block until timeout ns pass or a network device has a
 * frame waiting; returns the set of those that have one (0 on time-out,
 * on a signal, or with *ret EUNSPEC if ppoll failed). */
static uint64_t wait_ready(struct hvt *h, uint64_t timeout, int32_t *ret)
{
    struct timespec ts = {.tv_sec = (time_t)(timeout / 1000000000u),
                          .tv_nsec = (long)(timeout % 1000000000u)};
    int n = ppoll(h->poll_fds, h->npoll, &ts, NULL);
    uint64_t set = 0;
    *ret = SOLO5_R_OK;
    if (n < 0 && errno != EINTR)
        *ret = SOLO5_R_EUNSPEC;
    for (unsigned i = 0; n > 0 && i < h->npoll; i++)
        if (h->poll_fds[i].revents & POLLIN)
            set |= 1ull << h->poll_handles[i];
    return set;
}

static enum hvt_hc_result poll_(struct hvt *h, uint64_t gpa, char *err)
{
    struct solo5_hvt_poll p;
    void *arg = arg_in(h, SOLO5_HVT_HC_POLL, gpa, &p, sizeof(p), true, err);
    if (arg == NULL)
        return HVT_HC_FAULT;
    p.ready_set = wait_ready(h, p.timeout_nsecs, &p.ret);
    memcpy(arg, &p, sizeof(p));
    return HVT_HC_CONTINUE;
}

/* BLOCK_WRITE and BLOCK_READ: exactly one block at a block-aligned offset
 * inside the capacity, else EINVAL. */
static enum hvt_hc_result block_io(struct hvt *h, unsigned nr, uint64_t gpa,
                                   char *err)
{
    struct solo5_hvt_block_io io;
    void *arg = arg_in(h, nr, gpa, &io, sizeof(io), true, err);
    if (arg == NULL)
        return HVT_HC_FAULT;
    bool write = nr == SOLO5_HVT_HC_BLOCK_WRITE;
    uint8_t *data;
    const struct solo5_mft_entry *e =
        device_buf(h, nr, SOLO5_MFT_DEV_BLOCK_BASIC, io.handle, io.data, io.len,
                   !write, &data, err);
    if (e == NULL)
        return HVT_HC_FAULT;
    uint64_t bs = e->u.block_basic.block_size;
    uint64_t cap = e->u.block_basic.capacity;
    if (io.len != bs || io.offset % bs != 0 || io.offset > cap - bs) {
        io.ret = SOLO5_R_EINVAL;
    } else {
        ssize_t n = write ? pwrite(e->b.hostfd, data, bs, (off_t)io.offset)
                          : pread(e->b.hostfd, data, bs, (off_t)io.offset);
        io.ret = n == (ssize_t)bs ? SOLO5_R_OK : SOLO5_R_EUNSPEC;
    }
    memcpy(arg, &io, sizeof(io));
    return HVT_HC_CONTINUE;
}

/* NET_WRITE: one frame of at most MTU + 14 bytes (or, with offloads on,
 * a frame with a valid header within frame_max); NET_READ: into a buffer
 * of at least that many bytes, AGAIN when no frame is waiting; else
 * EINVAL. */
static enum hvt_hc_result net_io(struct hvt *h, unsigned nr, uint64_t gpa,
                                 char *err)
{
    struct solo5_hvt_net_io io;
    void *arg = arg_in(h, nr, gpa, &io, sizeof(io), true, err);
    if (arg == NULL)
        return HVT_HC_FAULT;
    bool send = nr == SOLO5_HVT_HC_NET_WRITE;
    uint8_t *data;
    const struct solo5_mft_entry *e =
        device_buf(h, nr, SOLO5_MFT_DEV_NET_BASIC, io.handle, io.data, io.len,
                   !send, &data, err);
    if (e == NULL)
        return HVT_HC_FAULT;
    if (send ? !frame_ok(h, e, io.handle, data, io.len)
             : io.len < frame_max(h, e, io.handle)) {
        io.ret = SOLO5_R_EINVAL;
    } else if (send) {
        ssize_t n = tap_write(h, io.handle, e->b.hostfd, data, io.len);
        io.ret = n == (ssize_t)io.len ? SOLO5_R_OK : SOLO5_R_EUNSPEC;
        if (io.ret == SOLO5_R_OK) {
            h->stats.tx_frames++;
            h->stats.tx_bytes += io.len;
        }
    } else {
        ssize_t n = tap_read(h, io.handle, e->b.hostfd, data, io.len);
        if (n >= 0) {
            io.len = (uint64_t)n;
            io.ret = SOLO5_R_OK;
            h->stats.rx_frames++;
            h->stats.rx_bytes += io.len;
        } else {
            io.ret = errno == EAGAIN || errno == EWOULDBLOCK ? SOLO5_R_AGAIN
                                                             : SOLO5_R_EUNSPEC;
        }
    }
    memcpy(arg, &io, sizeof(io));
    return HVT_HC_CONTINUE;
}

/* NETV's send: check every frame of the transmit area (1 .. frame_max
 * bytes, within the area, a valid header if any), then write them in
 * order. */
static void netv_send(struct hvt *h, const struct solo5_mft_entry *e,
                      struct mirage_hvt_netv *v, const uint8_t *area)
{
    int fd = e->b.hostfd;
    uint64_t at = 0;
    for (uint32_t i = 0; i < v->tx_count; i++) {
        struct mirage_netv_frame f;
        if (v->tx_size - at < sizeof f) {
            v->ret = SOLO5_R_EINVAL;
            return;
        }
        memcpy(&f, area + at, sizeof f);
        at += sizeof f;
        if (f.len == 0 || f.len > v->tx_size - at ||
            !frame_ok(h, e, v->handle, area + at, f.len)) {
            v->ret = SOLO5_R_EINVAL;
            return;
        }
        at += (f.len + MIRAGE_NETV_ALIGN - 1) & ~(MIRAGE_NETV_ALIGN - 1);
        if (at > v->tx_size)
            at = v->tx_size; /* the last frame's padding may be cut */
    }
    at = 0;
    for (uint32_t i = 0; i < v->tx_count; i++) {
        struct mirage_netv_frame f;
        memcpy(&f, area + at, sizeof f);
        at += sizeof f;
        if (tap_write(h, v->handle, fd, area + at, f.len) != (ssize_t)f.len) {
            v->tx_count = i;
            v->ret = SOLO5_R_EUNSPEC;
            return;
        }
        h->stats.tx_frames++;
        h->stats.tx_bytes += f.len;
        at += (f.len + MIRAGE_NETV_ALIGN - 1) & ~(MIRAGE_NETV_ALIGN - 1);
    }
    v->ret = SOLO5_R_OK;
}

/* NETV's receive: read frames while one of max bytes still fits. */
static void netv_receive(struct hvt *h, const struct solo5_mft_entry *e,
                         struct mirage_hvt_netv *v, uint8_t *area)
{
    uint64_t max = frame_max(h, e, v->handle);
    uint64_t space = MIRAGE_NETV_FRAME_SPACE(max - ETHERNET_HEADER);
    v->rx_count = 0;
    v->rx_used = 0;
    v->rx_empty = 0;
    v->rx_ret = SOLO5_R_OK;
    while (v->rx_size - v->rx_used >= space) {
        struct mirage_netv_frame f = {0};
        uint8_t *at = area + v->rx_used;
        ssize_t n = tap_read(h, v->handle, e->b.hostfd, at + sizeof f, max);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                v->rx_empty = 1;
            else
                v->rx_ret = SOLO5_R_EUNSPEC;
            return;
        }
        f.len = (uint32_t)n;
        memcpy(at, &f, sizeof f);
        v->rx_used += sizeof f + (((uint64_t)n + MIRAGE_NETV_ALIGN - 1) &
                                  ~(uint64_t)(MIRAGE_NETV_ALIGN - 1));
        v->rx_count++;
        h->stats.rx_frames++;
        h->stats.rx_bytes += (uint64_t)n;
    }
}

/* The areas of a NETV record of hypercall nr: its device must be one
 * NETV serves, *tx (NULL when it sends nothing) in guest memory and *rx
 * (NULL when rx_size is 0) in writable guest memory. Returns false with
 * err set (a fault). */
static bool netv_areas(struct hvt *h, unsigned nr,
                       const struct mirage_hvt_netv *v, uint8_t **tx,
                       uint8_t **rx, char *err)
{
    if (v->handle >= 64 || !(h->net_vec & (1ull << v->handle))) {
        tender_errf(err, "bad hypercall %s: handle %llu does not take it",
                    names[nr], (unsigned long long)v->handle);
        return false;
    }
    *tx = *rx = NULL;
    if (v->tx_count > 0 &&
        (*tx = hvt_guest_ro(h, v->tx_area, v->tx_size)) == NULL) {
        fault_buf(nr, v->tx_area, v->tx_size, false, err);
        return false;
    }
    if (v->rx_size > 0 &&
        (*rx = hvt_guest_rw(h, v->rx_area, v->rx_size)) == NULL) {
        fault_buf(nr, v->rx_area, v->rx_size, true, err);
        return false;
    }
    return true;
}

/* Serve a checked NETV record: send its batch, then receive one. */
static void netv_serve(struct hvt *h, struct mirage_hvt_netv *v,
                       const uint8_t *tx, uint8_t *rx)
{
    const struct solo5_mft_entry *e = &h->mft->e[v->handle];
    v->ret = SOLO5_R_OK;
    if (tx != NULL)
        netv_send(h, e, v, tx);
    v->rx_count = 0;
    v->rx_used = 0;
    v->rx_empty = 0;
    v->rx_ret = SOLO5_R_OK;
    if (rx != NULL)
        netv_receive(h, e, v, rx);
}

/* NETV (MIRAGE_EXT_NET_VEC): send a batch, then receive one, on a device
 * the tender serves through it. */
static enum hvt_hc_result netv(struct hvt *h, uint64_t gpa, char *err)
{
    struct mirage_hvt_netv v;
    void *arg = arg_in(h, MIRAGE_HVT_HC_NETV, gpa, &v, sizeof(v), true, err);
    uint8_t *tx, *rx;
    if (arg == NULL || !netv_areas(h, MIRAGE_HVT_HC_NETV, &v, &tx, &rx, err))
        return HVT_HC_FAULT;
    netv_serve(h, &v, tx, rx);
    memcpy(arg, &v, sizeof(v));
    return HVT_HC_CONTINUE;
}

/* NETV_WAIT (MIRAGE_EXT_NETV_WAIT): every record's NETV, then, if no
 * frame came, POLL's wait and a receive on the devices it found ready.
 * Every record is checked before anything is sent. */
static enum hvt_hc_result netv_wait(struct hvt *h, uint64_t gpa, char *err)
{
    const unsigned nr = MIRAGE_HVT_HC_NETV_WAIT;
    if (!(h->granted & MIRAGE_EXT_NETV_WAIT)) {
        tender_errf(err, "bad hypercall NETV_WAIT: not granted to this image");
        return HVT_HC_FAULT;
    }
    struct mirage_hvt_netv_wait w;
    void *arg = arg_in(h, nr, gpa, &w, sizeof(w), true, err);
    if (arg == NULL)
        return HVT_HC_FAULT;
    if (w.count > MIRAGE_NETV_WAIT_RECORDS) {
        tender_errf(err, "bad hypercall NETV_WAIT: %u records (at most %u)",
                    w.count, MIRAGE_NETV_WAIT_RECORDS);
        return HVT_HC_FAULT;
    }
    struct mirage_hvt_netv v[MIRAGE_NETV_WAIT_RECORDS];
    uint8_t *tx[MIRAGE_NETV_WAIT_RECORDS], *rx[MIRAGE_NETV_WAIT_RECORDS];
    uint64_t size = (uint64_t)w.count * sizeof v[0], handles = 0;
    void *records = hvt_guest_rw(h, w.netv, size);
    if (w.count > 0 && records == NULL)
        return fault_buf(nr, w.netv, size, true, err);
    if (w.count > 0)
        memcpy(v, records, size);
    for (uint32_t i = 0; i < w.count; i++) {
        if (!netv_areas(h, nr, &v[i], &tx[i], &rx[i], err))
            return HVT_HC_FAULT;
        if (handles & (1ull << v[i].handle)) {
            tender_errf(err, "bad hypercall NETV_WAIT: handle %llu twice",
                        (unsigned long long)v[i].handle);
            return HVT_HC_FAULT;
        }
        handles |= 1ull << v[i].handle;
    }
    w.ready_set = 0;
    if (w.timeout_nsecs > MIRAGE_NETV_WAIT_MAX) {
        w.ret = SOLO5_R_EINVAL;
        memcpy(arg, &w, sizeof(w));
        return HVT_HC_CONTINUE;
    }
    uint64_t received = 0;
    for (uint32_t i = 0; i < w.count; i++) {
        netv_serve(h, &v[i], tx[i], rx[i]);
        if (v[i].rx_count > 0)
            received |= 1ull << v[i].handle;
    }
    /* Also when frames came: POLL's set of the other devices. */
    w.ready_set =
        wait_ready(h, received ? 0 : w.timeout_nsecs, &w.ret) | received;
    for (uint32_t i = 0; i < w.count && !received; i++)
        if (rx[i] != NULL && (w.ready_set & (1ull << v[i].handle)))
            netv_receive(h, &h->mft->e[v[i].handle], &v[i], rx[i]);
    if (w.count > 0)
        memcpy(records, v, size);
    memcpy(arg, &w, sizeof(w));
    return HVT_HC_CONTINUE;
}

/* NET_OFFLOAD (MIRAGE_EXT_NET_VHDR): switch a device whose tap has a
 * virtio-net header to a subset of its offloads, or back to bare frames. */
static enum hvt_hc_result net_offload(struct hvt *h, uint64_t gpa, char *err)
{
    struct mirage_hvt_net_offload o;
    void *arg =
        arg_in(h, MIRAGE_HVT_HC_NET_OFFLOAD, gpa, &o, sizeof(o), true, err);
    if (arg == NULL)
        return HVT_HC_FAULT;
    if (o.handle >= SOLO5_MFT_MAX_ENTRIES || h->net_vhdr[o.handle] == 0) {
        tender_errf(err,
                    "bad hypercall NET_OFFLOAD: handle %llu does not take it",
                    (unsigned long long)o.handle);
        return HVT_HC_FAULT;
    }
    bool tso = o.offloads & (MIRAGE_NET_OFFLOAD_TSO4 | MIRAGE_NET_OFFLOAD_TSO6);
    if ((o.offloads & ~(uint32_t)h->net_vhdr[o.handle]) != 0 ||
        (tso && !(o.offloads & MIRAGE_NET_OFFLOAD_CSUM))) {
        o.ret = SOLO5_R_EINVAL;
    } else if (ioctl(h->mft->e[o.handle].b.hostfd, TUNSETOFFLOAD,
                     (unsigned long)o.offloads) < 0) {
        o.ret = SOLO5_R_EUNSPEC;
    } else {
        h->net_on[o.handle] = (uint8_t)o.offloads;
        o.ret = SOLO5_R_OK;
    }
    memcpy(arg, &o, sizeof(o));
    return HVT_HC_CONTINUE;
}

static enum hvt_hc_result halt(struct hvt *h, uint64_t gpa, int *status,
                               char *err)
{
    struct solo5_hvt_halt x;
    if (arg_in(h, SOLO5_HVT_HC_HALT, gpa, &x, sizeof(x), false, err) == NULL)
        return HVT_HC_FAULT;
    /* The cookie must be guest memory. With status 255 it is a trap's
     * registers (Solo5's part, and MirageC's when there is room). */
    if (x.cookie != 0 && hvt_guest_ro(h, x.cookie, 1) == NULL)
        return fault_buf(SOLO5_HVT_HC_HALT, x.cookie, 1, false, err);
    *status = x.exit_status & 0xff;
    h->trap_len = 0;
    if (x.cookie != 0 && *status == 255) {
        size_t n = sizeof h->trap;
        if (hvt_guest_ro(h, x.cookie, n) == NULL)
            n = SOLO5_TRAP_COOKIE_SOLO5_SIZE;
        const void *c = hvt_guest_ro(h, x.cookie, n);
        if (c != NULL) {
            memcpy(&h->trap, c, n);
            h->trap_len = n;
        }
    }
    return HVT_HC_HALT;
}

enum hvt_hc_result hvt_hypercall(struct hvt *h, unsigned nr, uint64_t gpa,
                                 int *status, char *err)
{
    h->stats.hypercalls[nr]++;
    switch (nr) {
    case SOLO5_HVT_HC_WALLTIME:
        return walltime(h, gpa, err);
    case SOLO5_HVT_HC_PUTS:
        return puts_(h, gpa, err);
    case SOLO5_HVT_HC_POLL:
        return poll_(h, gpa, err);
    case SOLO5_HVT_HC_BLOCK_WRITE:
    case SOLO5_HVT_HC_BLOCK_READ:
        return block_io(h, nr, gpa, err);
    case SOLO5_HVT_HC_NET_WRITE:
    case SOLO5_HVT_HC_NET_READ:
        return net_io(h, nr, gpa, err);
    case SOLO5_HVT_HC_HALT:
        return halt(h, gpa, status, err);
    case MIRAGE_HVT_HC_NETV:
        return netv(h, gpa, err);
    case MIRAGE_HVT_HC_NET_OFFLOAD:
        return net_offload(h, gpa, err);
    case MIRAGE_HVT_HC_NETV_WAIT:
        return netv_wait(h, gpa, err);
    default: /* between Solo5's numbers and MirageC's */
        tender_errf(err, "bad hypercall: unknown number %u", nr);
        return HVT_HC_FAULT;
    }
}
