/* Test guest that makes hvt hypercalls directly (not through plat/), so
 * that every check the tender makes on guest-controlled arguments runs.
 * Declares two network devices ("service", handle 1; "extra", 2) and two
 * block devices ("storage", 3; "backup", 4). By its first argument:
 *   block  bad requests on both block devices get EINVAL: an offset not
 *          a multiple of the block size, at the capacity, or overflowing
 *          with the block size; a length of a block less one, or two
 *          blocks. Good ones work: distinct patterns written to block 0 of
 *          each device read back from the right one, and when the
 *          capacity allows, a block at 5 GiB (above any 32-bit offset)
 *          and the last block. A write the host cannot complete (a full
 *          file system) gets EUNSPEC and the guest carries on: "full"
 *          writes blocks from 0 until one fails and prints how many.
 *   net    on both network devices: a frame of MTU + 15 bytes is EINVAL,
 *          MTU + 14 is sent, a read buffer below MTU + 14 is EINVAL. A POLL
 *          whose ready_set holds every bit on entry returns only real
 *          devices (none ready yet); then "ready" is printed and a POLL
 *          waits for a frame: the set must be exactly "extra"'s bit, its
 *          frame is read back and "service" has none (AGAIN).
 *   netdown  write frames to "service" until a write fails (the host
 *          deleted the tap), then read until a read fails; print the
 *          errors and exit 0.
 *   netv   MirageC's NETV (MIRAGE_EXT_NET_VEC): both network devices, and
 *          only they, are granted; a batch with a frame of MTU + 15
 *          bytes, of 0 bytes, or running past the area is EINVAL; a good
 *          batch of 3 frames is OK; a receive area smaller than one frame
 *          gets nothing; after "ready" one frame arrives on "service" and
 *          NETV returns it, rx_empty set. (The test counts the frames the
 *          tender sent: 3.)
 *   netv-block  NETV on the block device "storage": the guest is stopped.
 *   netv-wait  MirageC's NETV_WAIT (MIRAGE_EXT_NETV_WAIT): granted; no
 *          record and no time-out returns nothing ready; a time-out above
 *          MIRAGE_NETV_WAIT_MAX (or all ones) is EINVAL and the record is
 *          left as it was (nothing sent); a record sends its 3 frames and
 *          finds nothing; a bad batch on one record is EINVAL there while
 *          the other record's frame is sent (the test counts 4 frames
 *          sent); a wait of 1 ms times out; after "ready" a frame comes to
 *          "extra", which no record names: the wait on "service" returns
 *          extra's bit only, and a record for "extra" then receives it;
 *          after "again" (the frame comes later) a wait on both receives
 *          "service"'s frame and reports its bit only.
 *   netv-wait-bad WHAT  a NETV_WAIT the tender must refuse by stopping
 *          the guest: "block" (a record for "storage"), "twice" ("service"
 *          in two records), "count" (64 records), "records" (records
 *          outside memory), "records-ro" (records in read-only data),
 *          "area" (a receive area in the code), "arg-ro" (the argument in
 *          read-only data).
 *   hc-9   hypercall 9, between Solo5's and MirageC's: the guest is
 *          stopped.
 * Prints "ok WHAT" or "FAILED WHAT" per check; exits 0 if all passed. */
#include <mirage/plat.h>
#include <mirage/solo5.h>
#include <stdint.h>

#include "../../../plat/solo5/ext.h"
#include "../../tender/guest.h"

SOLO5_MANIFEST(4, SOLO5_MFT_NET("service"), SOLO5_MFT_NET("extra"),
               SOLO5_MFT_BLOCK("storage"), SOLO5_MFT_BLOCK("backup"));

enum { SERVICE = 1, EXTRA = 2, STORAGE = 3, BACKUP = 4 };

#define GIB       (1ull << 30)
#define MAX_BLOCK 4096
#define WAIT_NS   20000000000ull

static void hypercall(unsigned n, void *arg)
{
    __asm__ volatile("outl %0, %1"
                     :
                     : "a"((uint32_t)(uintptr_t)arg),
                       "d"((uint16_t)(SOLO5_HVT_PIO_BASE + n))
                     : "memory");
}

static int block_io(bool write, uint64_t handle, uint64_t offset, void *buf,
                    uint64_t len)
{
    static struct solo5_hvt_block_io io;
    io = (struct solo5_hvt_block_io){.handle = handle,
                                     .offset = offset,
                                     .data = (uint64_t)(uintptr_t)buf,
                                     .len = len,
                                     .ret = -1};
    hypercall(write ? SOLO5_HVT_HC_BLOCK_WRITE : SOLO5_HVT_HC_BLOCK_READ, &io);
    return io.ret;
}

static int net_io(bool write, uint64_t handle, void *buf, uint64_t *len)
{
    static struct solo5_hvt_net_io io;
    io = (struct solo5_hvt_net_io){.handle = handle,
                                   .data = (uint64_t)(uintptr_t)buf,
                                   .len = *len,
                                   .ret = -1};
    hypercall(write ? SOLO5_HVT_HC_NET_WRITE : SOLO5_HVT_HC_NET_READ, &io);
    *len = io.len;
    return io.ret;
}

static int poll(uint64_t timeout, uint64_t *set)
{
    static struct solo5_hvt_poll p;
    p = (struct solo5_hvt_poll){
        .timeout_nsecs = timeout, .ready_set = ~0ull, .ret = -1};
    hypercall(SOLO5_HVT_HC_POLL, &p);
    *set = p.ready_set;
    return p.ret;
}

static uint8_t buf[2 * MAX_BLOCK], back[MAX_BLOCK];

/* Write a pattern at offset on handle and read it back. */
static bool roundtrip(uint64_t handle, uint64_t offset, size_t bs, uint8_t seed)
{
    guest_fill(buf, bs, seed);
    return block_io(true, handle, offset, buf, bs) == SOLO5_R_OK &&
           block_io(false, handle, offset, back, bs) == SOLO5_R_OK &&
           guest_same(buf, back, bs);
}

static void block_test(uint64_t h, const char *name)
{
    struct plat_block_info bi;
    plat_handle got;
    if (plat_block_acquire(name, &got, &bi) != PLAT_OK || got != h ||
        bi.block_size > MAX_BLOCK) {
        guest_check(false, "block device as declared");
        return;
    }
    uint64_t bs = bi.block_size, cap = bi.capacity;
    guest_print(name);
    guest_print(" capacity ");
    guest_print_u64(cap);
    guest_print("\n");
    guest_check(block_io(false, h, bs / 2, buf, bs) == SOLO5_R_EINVAL,
                "misaligned offset is EINVAL");
    guest_check(block_io(true, h, cap, buf, bs) == SOLO5_R_EINVAL,
                "offset at the capacity is EINVAL");
    guest_check(block_io(false, h, UINT64_MAX - bs + 1, buf, bs) ==
                    SOLO5_R_EINVAL,
                "offset overflowing with the length is EINVAL");
    guest_check(block_io(false, h, 0, buf, bs - 1) == SOLO5_R_EINVAL,
                "short length is EINVAL");
    guest_check(block_io(true, h, 0, buf, 2 * bs) == SOLO5_R_EINVAL,
                "two blocks at once is EINVAL");
    guest_check(roundtrip(h, cap - bs, bs, 0x31),
                "last block written and read");
    if (cap > 5 * GIB)
        guest_check(roundtrip(h, 5 * GIB, bs, 0x52), "block at 5 GiB");
}

static void blocks(void)
{
    block_test(STORAGE, "storage");
    block_test(BACKUP, "backup");
    /* Each handle reaches its own file. */
    guest_fill(buf, 512, 1);
    bool ok = block_io(true, STORAGE, 0, buf, 512) == SOLO5_R_OK;
    guest_fill(buf, 512, 2);
    ok = ok && block_io(true, BACKUP, 0, buf, 512) == SOLO5_R_OK;
    ok = ok && block_io(false, STORAGE, 0, back, 512) == SOLO5_R_OK;
    guest_fill(buf, 512, 1);
    ok = ok && guest_same(buf, back, 512);
    ok = ok && block_io(false, BACKUP, 0, back, 512) == SOLO5_R_OK;
    guest_fill(buf, 512, 2);
    guest_check(ok && guest_same(buf, back, 512),
                "two block devices kept apart");
}

static void full(void)
{
    struct plat_block_info bi;
    plat_handle h;
    if (plat_block_acquire("storage", &h, &bi) != PLAT_OK)
        plat_exit(1);
    guest_fill(buf, bi.block_size, 7);
    uint64_t n = 0;
    int r = SOLO5_R_OK;
    while (n * bi.block_size < bi.capacity &&
           (r = block_io(true, h, n * bi.block_size, buf, bi.block_size)) ==
               SOLO5_R_OK)
        n++;
    guest_print("wrote ");
    guest_print_u64(n);
    guest_print(" blocks, then ");
    guest_print(r == SOLO5_R_EUNSPEC ? "EUNSPEC"
                : r == SOLO5_R_OK    ? "end"
                                     : "?");
    guest_print("\n");
    /* The guest goes on: reading what was written still works. */
    guest_check(n > 0 &&
                    block_io(false, h, 0, back, bi.block_size) == SOLO5_R_OK &&
                    guest_same(buf, back, bi.block_size),
                "still reads after the failed write");
}

static uint8_t frame[65536];

static void net_checks(uint64_t h, const char *name)
{
    struct plat_net_info ni;
    plat_handle got;
    if (plat_net_acquire(name, &got, &ni) != PLAT_OK || got != h) {
        guest_check(false, "net device as declared");
        return;
    }
    uint64_t len = ni.mtu + 15;
    guest_check(net_io(true, h, frame, &len) == SOLO5_R_EINVAL,
                "frame of MTU + 15 bytes is EINVAL");
    guest_fill(frame, 64, (uint8_t)h);
    len = ni.mtu + 14;
    guest_check(net_io(true, h, frame, &len) == SOLO5_R_OK,
                "frame of MTU + 14 bytes is sent");
    len = ni.mtu + 13;
    guest_check(net_io(false, h, frame, &len) == SOLO5_R_EINVAL,
                "read buffer below MTU + 14 is EINVAL");
}

static void nets(void)
{
    net_checks(SERVICE, "service");
    net_checks(EXTRA, "extra");
    uint64_t set;
    guest_check(poll(0, &set) == 0 && set == 0,
                "POLL returns only real devices, none ready");
    guest_print("ready\n");
    uint64_t deadline = plat_clock_monotonic() + WAIT_NS;
    set = 0;
    while (set == 0 && plat_clock_monotonic() < deadline)
        poll(deadline - plat_clock_monotonic(), &set);
    guest_check(set == 1u << EXTRA,
                "POLL reports the device the frame came to");
    uint64_t len = sizeof frame;
    guest_check(net_io(false, EXTRA, frame, &len) == SOLO5_R_OK && len == 60 &&
                    frame[0] == 'x' && frame[59] == 'x',
                "its frame is read");
    len = sizeof frame;
    guest_check(net_io(false, SERVICE, frame, &len) == SOLO5_R_AGAIN,
                "the other device has none");
}

static void netdown(void)
{
    struct plat_net_info ni;
    plat_handle h;
    if (plat_net_acquire("service", &h, &ni) != PLAT_OK)
        plat_exit(1);
    guest_fill(frame, 60, 9);
    guest_print("sending\n");
    uint64_t deadline = plat_clock_monotonic() + WAIT_NS;
    int r = SOLO5_R_OK;
    while (r == SOLO5_R_OK && plat_clock_monotonic() < deadline) {
        uint64_t len = 60, set;
        r = net_io(true, h, frame, &len);
        poll(1000000, &set); /* 1 ms */
    }
    guest_print(r == SOLO5_R_EUNSPEC ? "write failed: EUNSPEC\n"
                                     : "write never failed\n");
    /* Reads fail too once the interface is gone (it may still be going
     * down when the first write fails). */
    do {
        uint64_t len = sizeof frame, set;
        r = net_io(false, h, frame, &len);
        poll(1000000, &set);
    } while ((r == SOLO5_R_AGAIN || r == SOLO5_R_OK) &&
             plat_clock_monotonic() < deadline);
    guest_print(r == SOLO5_R_EUNSPEC ? "read failed: EUNSPEC\n"
                                     : "read never failed\n");
}

/* ---- NETV ---- */

static uint8_t area[4 * MIRAGE_NETV_FRAME_SPACE(1500)]
    __attribute__((aligned(8)));

/* Put n frames of the given lengths into to; returns the bytes used. */
static uint64_t batch_in(uint8_t *to, const uint32_t *lens, unsigned n)
{
    uint64_t at = 0;
    for (unsigned i = 0; i < n; i++) {
        struct mirage_netv_frame f = {.len = lens[i]};
        __builtin_memcpy(to + at, &f, sizeof f);
        guest_fill(to + at + sizeof f, lens[i], (uint8_t)i);
        at += sizeof f + ((lens[i] + 7) & ~7u);
    }
    return at;
}

/* The same into area. */
static uint64_t batch(const uint32_t *lens, unsigned n)
{
    return batch_in(area, lens, n);
}

static struct mirage_hvt_netv netv_io;

static void netv(uint64_t handle, uint64_t tx_size, uint32_t tx_count,
                 uint64_t rx_size)
{
    netv_io = (struct mirage_hvt_netv){.handle = handle,
                                       .tx_area = (uint64_t)(uintptr_t)area,
                                       .tx_size = tx_size,
                                       .tx_count = tx_count,
                                       .rx_area = (uint64_t)(uintptr_t)area,
                                       .rx_size = rx_size,
                                       .ret = -1,
                                       .rx_ret = -1};
    hypercall(MIRAGE_HVT_HC_NETV, &netv_io);
}

static void netv_checks(void)
{
    uint64_t nets = (1ull << SERVICE) | (1ull << EXTRA);
    guest_check(solo5_ext_granted(MIRAGE_EXT_NET_VEC) &&
                    solo5_ext.net_vec == nets,
                "NETV granted on the network devices only");
    static const uint32_t too_long[] = {60, 1515}, empty[] = {60, 0},
                          good[] = {60, 1514, 61};
    netv(SERVICE, batch(too_long, 2), 2, 0);
    guest_check(netv_io.ret == SOLO5_R_EINVAL, "frame of MTU + 15 is EINVAL");
    netv(SERVICE, batch(empty, 2), 2, 0);
    guest_check(netv_io.ret == SOLO5_R_EINVAL, "empty frame is EINVAL");
    netv(SERVICE, batch(good, 2), 3, 0);
    guest_check(netv_io.ret == SOLO5_R_EINVAL,
                "frames past the area are EINVAL");
    netv(SERVICE, batch(good, 3), 3, 0);
    guest_check(netv_io.ret == SOLO5_R_OK && netv_io.rx_count == 0,
                "three frames sent");
    netv(SERVICE, 0, 0, MIRAGE_NETV_FRAME_SPACE(1500) - 1);
    guest_check(netv_io.ret == SOLO5_R_OK && netv_io.rx_ret == SOLO5_R_OK &&
                    netv_io.rx_count == 0 && !netv_io.rx_empty,
                "a receive area below one frame gets nothing");
    guest_print("ready\n");
    uint64_t set;
    guest_check(poll(WAIT_NS, &set) == SOLO5_R_OK && set == 1ull << SERVICE,
                "POLL reports the frame");
    netv(SERVICE, 0, 0, sizeof area);
    struct mirage_netv_frame f;
    __builtin_memcpy(&f, area, sizeof f);
    guest_check(netv_io.rx_ret == SOLO5_R_OK && netv_io.rx_count == 1 &&
                    netv_io.rx_empty && f.len == 60 &&
                    netv_io.rx_used == sizeof f + 64,
                "NETV receives the one frame waiting");
}

/* ---- NETV_WAIT ---- */

#define SECOND 1000000000ull

static struct mirage_hvt_netv_wait wait_io;
static struct mirage_hvt_netv records[64];
static uint8_t rx_areas[2][2 * MIRAGE_NETV_FRAME_SPACE(1500)]
    __attribute__((aligned(8)));

/* Record i: handle, the area's first tx_size bytes (tx_count frames), and
 * receive area i if rx. */
static void record(unsigned i, uint64_t handle, uint64_t tx_size,
                   uint32_t tx_count, bool rx)
{
    records[i] =
        (struct mirage_hvt_netv){.handle = handle,
                                 .tx_area = (uint64_t)(uintptr_t)area,
                                 .tx_size = tx_size,
                                 .tx_count = tx_count,
                                 .rx_area = (uint64_t)(uintptr_t)rx_areas[i],
                                 .rx_size = rx ? sizeof rx_areas[i] : 0,
                                 .ret = -1,
                                 .rx_ret = -1};
}

static void netv_wait(uint64_t netv, uint32_t count, uint64_t timeout)
{
    wait_io = (struct mirage_hvt_netv_wait){.netv = netv,
                                            .count = count,
                                            .ret = -1,
                                            .timeout_nsecs = timeout,
                                            .ready_set = ~0ull};
    hypercall(MIRAGE_HVT_HC_NETV_WAIT, &wait_io);
}

/* The records' NETV_WAIT. */
static void wait_records(uint32_t count, uint64_t timeout)
{
    netv_wait((uint64_t)(uintptr_t)records, count, timeout);
}

/* Record i received one 60-byte frame of 'x' and the host has no more. */
static bool received_x(unsigned i)
{
    struct mirage_netv_frame f;
    __builtin_memcpy(&f, rx_areas[i], sizeof f);
    return records[i].rx_ret == SOLO5_R_OK && records[i].rx_count == 1 &&
           records[i].rx_empty && f.len == 60 && rx_areas[i][sizeof f] == 'x';
}

static void netv_wait_checks(void)
{
    guest_check(solo5_ext_granted(MIRAGE_EXT_NETV_WAIT), "NETV_WAIT granted");
    netv_wait(0, 0, 0);
    guest_check(wait_io.ret == SOLO5_R_OK && wait_io.ready_set == 0,
                "no record, no time-out: no device");
    static const uint32_t good[] = {60, 1514, 61}, too_long[] = {1515};
    record(0, SERVICE, batch(good, 3), 3, true);
    wait_records(1, MIRAGE_NETV_WAIT_MAX + 1);
    guest_check(wait_io.ret == SOLO5_R_EINVAL && records[0].ret == -1,
                "a time-out above the limit is EINVAL, the record untouched");
    wait_records(1, UINT64_MAX);
    guest_check(wait_io.ret == SOLO5_R_EINVAL && records[0].ret == -1,
                "a time-out of all ones is EINVAL");
    wait_records(1, 0);
    guest_check(wait_io.ret == SOLO5_R_OK && records[0].ret == SOLO5_R_OK &&
                    records[0].rx_ret == SOLO5_R_OK &&
                    records[0].rx_count == 0 && records[0].rx_empty &&
                    wait_io.ready_set == 0,
                "a record sends its frames and finds nothing");
    record(0, SERVICE, batch_in(rx_areas[0], too_long, 1), 1, false);
    records[0].tx_area = (uint64_t)(uintptr_t)rx_areas[0];
    record(1, EXTRA, batch(good, 1), 1, false);
    wait_records(2, 0);
    guest_check(wait_io.ret == SOLO5_R_OK && records[0].ret == SOLO5_R_EINVAL &&
                    records[1].ret == SOLO5_R_OK,
                "a bad batch is EINVAL in its record, the other is sent");
    record(0, SERVICE, 0, 0, true);
    uint64_t start = plat_clock_monotonic();
    wait_records(1, SECOND / 1000);
    guest_check(wait_io.ret == SOLO5_R_OK && wait_io.ready_set == 0 &&
                    records[0].rx_count == 0 &&
                    plat_clock_monotonic() - start >= SECOND / 1000,
                "a wait of 1 ms times out");
    guest_print("ready\n");
    record(0, SERVICE, 0, 0, true);
    wait_records(1, 20 * SECOND);
    guest_check(wait_io.ret == SOLO5_R_OK &&
                    wait_io.ready_set == 1ull << EXTRA &&
                    records[0].rx_count == 0,
                "a frame for a device no record names: its bit only");
    record(1, EXTRA, 0, 0, true);
    wait_records(2, 0);
    guest_check(wait_io.ret == SOLO5_R_OK && received_x(1) &&
                    records[0].rx_count == 0 &&
                    wait_io.ready_set == 1ull << EXTRA,
                "its record then receives it");
    record(0, SERVICE, 0, 0, true);
    record(1, EXTRA, 0, 0, true);
    guest_print("again\n");
    wait_records(2, 20 * SECOND);
    guest_check(wait_io.ret == SOLO5_R_OK && received_x(0) &&
                    records[1].rx_count == 0 && records[1].rx_empty &&
                    wait_io.ready_set == 1ull << SERVICE,
                "a frame that comes while waiting is received");
}

static const struct mirage_hvt_netv ro_records[1] = {{.handle = SERVICE}};
static const struct mirage_hvt_netv_wait ro_wait = {.count = 0};

static void netv_wait_bad(const char *what)
{
    if (guest_streq(what, "block")) {
        record(0, SERVICE, 0, 0, true);
        record(1, STORAGE, 0, 0, true);
        wait_records(2, 0);
    } else if (guest_streq(what, "twice")) {
        record(0, SERVICE, 0, 0, true);
        record(1, SERVICE, 0, 0, true);
        wait_records(2, 0);
    } else if (guest_streq(what, "count")) {
        wait_records(64, 0);
    } else if (guest_streq(what, "records")) {
        netv_wait(0xfffff000u, 1, 0);
    } else if (guest_streq(what, "records-ro")) {
        netv_wait((uint64_t)(uintptr_t)ro_records, 1, 0);
    } else if (guest_streq(what, "area")) {
        record(0, SERVICE, 0, 0, true);
        records[0].rx_area = (uint64_t)(uintptr_t)mirage_rt_boot;
        wait_records(1, 0);
    } else if (guest_streq(what, "arg-ro")) {
        hypercall(MIRAGE_HVT_HC_NETV_WAIT, (void *)&ro_wait);
    } else {
        guest_check(false, "known netv-wait-bad case");
        return;
    }
    guest_print("survived\n");
}

_Noreturn void mirage_rt_boot(const struct plat_boot *boot)
{
    const char *what = boot->argc > 1 ? boot->argv[1] : "";
    if (guest_streq(what, "block"))
        blocks();
    else if (guest_streq(what, "full"))
        full();
    else if (guest_streq(what, "net"))
        nets();
    else if (guest_streq(what, "netdown"))
        netdown();
    else if (guest_streq(what, "netv"))
        netv_checks();
    else if (guest_streq(what, "netv-block"))
        netv(STORAGE, 0, 0, sizeof area);
    else if (guest_streq(what, "netv-wait"))
        netv_wait_checks();
    else if (guest_streq(what, "netv-wait-bad"))
        netv_wait_bad(boot->argc > 2 ? boot->argv[2] : "");
    else if (guest_streq(what, "hc-9"))
        hypercall(9, &netv_io);
    else
        guest_check(false, "known test");
    plat_exit(guest_failures == 0 ? 0 : 1);
}
