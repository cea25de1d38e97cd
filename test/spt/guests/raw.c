/* Test guest for spt's devices at the trust boundary, which on spt is the
 * seccomp filter: besides the bindings, it makes the system calls
 * directly on the devices' descriptors. Declares two network devices
 * ("service", handle 1; "extra", 2) and two block devices ("storage", 3;
 * "backup", 4). By its first argument:
 *   block      a raw pread64 at an unaligned offset inside the capacity is
 *              allowed (the filter bounds offsets; alignment is the
 *              bindings' check); through the bindings, each handle reaches
 *              its own file, the last block works, and a block at 5 GiB
 *              when the capacity allows
 *   frame      a raw write of MTU + 14 bytes on "service" is allowed
 *   big-frame  a raw write of MTU + 15 bytes (killed by SIGSYS)
 *   net        print "ready", wait for a frame: plat_yield's ready set is
 *              exactly "extra"'s bit, and the frame reads back from it
 *   full       write blocks until one fails (a full file system): the
 *              error is PLAT_EUNSPEC and the guest goes on
 *   netdown    write frames to "service" until one fails (the tap was
 *              deleted), then read until a read fails: print the errors
 * Prints "ok WHAT" or "FAILED WHAT" per check; exits 0 if all passed. */
#include "../../../plat/linux/syscall.h"
#include "../../../plat/solo5/manifest.h"
#include "../../tender/guest.h"

#include <mirage/plat.h>
#include <mirage/solo5.h>

SOLO5_MANIFEST(4, SOLO5_MFT_NET("service"), SOLO5_MFT_NET("extra"),
               SOLO5_MFT_BLOCK("storage"), SOLO5_MFT_BLOCK("backup"));

#define GIB       (1ull << 30)
#define MAX_BLOCK 4096
#define WAIT_NS   20000000000ull

static plat_handle service, extra, storage, backup;
static struct plat_net_info service_info;
static struct plat_block_info storage_info, backup_info;
static uint8_t buf[65536], back[65536];

static int hostfd(plat_handle h, enum solo5_mft_type type)
{
    return solo5_mft_device(h, type)->b.hostfd;
}

static bool roundtrip(plat_handle h, uint64_t offset, size_t bs, uint8_t seed)
{
    guest_fill(buf, bs, seed);
    return plat_block_write(h, offset, buf, bs) == PLAT_OK &&
           plat_block_read(h, offset, back, bs) == PLAT_OK &&
           guest_same(buf, back, bs);
}

static void block(void)
{
    uint64_t bs = storage_info.block_size, cap = storage_info.capacity;
    long n = linux_syscall4(LINUX_SYS_pread64,
                            hostfd(storage, SOLO5_MFT_DEV_BLOCK_BASIC), buf, bs,
                            bs / 2);
    guest_check(n == (long)bs,
                "raw unaligned read inside the capacity allowed");
    guest_check(roundtrip(storage, cap - bs, bs, 3), "last block");
    if (cap > 5 * GIB)
        guest_check(roundtrip(storage, 5 * GIB, bs, 0x52), "block at 5 GiB");
    bool ok = roundtrip(storage, 0, bs, 1) && roundtrip(backup, 0, bs, 2);
    guest_fill(buf, bs, 1);
    ok = ok && plat_block_read(storage, 0, back, bs) == PLAT_OK &&
         guest_same(buf, back, bs);
    guest_check(ok, "two block devices kept apart");
}

static void frame(size_t len)
{
    guest_fill(buf, len, 5);
    long n = linux_syscall3(LINUX_SYS_write,
                            hostfd(service, SOLO5_MFT_DEV_NET_BASIC), buf, len);
    guest_check(n == (long)len, "raw frame written");
}

static void net(void)
{
    guest_print("ready\n");
    uint64_t deadline = plat_clock_monotonic() + WAIT_NS;
    plat_handle_set ready = 0;
    while (ready == 0 && plat_clock_monotonic() < deadline)
        plat_yield(deadline, &ready);
    guest_check(ready == 1ull << extra, "the ready set names the device");
    size_t got = 0;
    guest_check(plat_net_read(extra, buf, sizeof buf, &got) == PLAT_OK &&
                    got == 60 && buf[0] == 'x',
                "its frame is read");
    guest_check(plat_net_read(service, buf, sizeof buf, &got) == PLAT_AGAIN,
                "the other device has none");
}

static void full(void)
{
    uint64_t bs = storage_info.block_size, n = 0;
    enum plat_result r = PLAT_OK;
    guest_fill(buf, bs, 7);
    while (n * bs < storage_info.capacity &&
           (r = plat_block_write(storage, n * bs, buf, bs)) == PLAT_OK)
        n++;
    guest_print("wrote ");
    guest_print_u64(n);
    guest_print(r == PLAT_EUNSPEC ? " blocks, then EUNSPEC\n" : " blocks\n");
    guest_check(n > 0 && plat_block_read(storage, 0, back, bs) == PLAT_OK &&
                    guest_same(buf, back, bs),
                "still reads after the failed write");
}

static void netdown(void)
{
    guest_fill(buf, 60, 9);
    guest_print("sending\n");
    uint64_t deadline = plat_clock_monotonic() + WAIT_NS;
    enum plat_result r = PLAT_OK;
    while (r == PLAT_OK && plat_clock_monotonic() < deadline) {
        plat_handle_set ready;
        r = plat_net_write(service, buf, 60);
        plat_yield(plat_clock_monotonic() + 1000000, &ready);
    }
    guest_print(r == PLAT_EUNSPEC ? "write failed: EUNSPEC\n"
                                  : "write never failed\n");
    /* Reads fail too once the interface is gone (it may still be going
     * down when the first write fails). */
    do {
        size_t got;
        plat_handle_set ready;
        r = plat_net_read(service, buf, sizeof buf, &got);
        plat_yield(plat_clock_monotonic() + 1000000, &ready);
    } while ((r == PLAT_AGAIN || r == PLAT_OK) &&
             plat_clock_monotonic() < deadline);
    guest_print(r == PLAT_EUNSPEC ? "read failed: EUNSPEC\n"
                                  : "read never failed\n");
}

_Noreturn void mirage_rt_boot(const struct plat_boot *b)
{
    const char *what = b->argc > 1 ? b->argv[1] : "";
    struct plat_net_info extra_info;
    if (plat_net_acquire("service", &service, &service_info) != PLAT_OK ||
        plat_net_acquire("extra", &extra, &extra_info) != PLAT_OK ||
        plat_block_acquire("storage", &storage, &storage_info) != PLAT_OK ||
        plat_block_acquire("backup", &backup, &backup_info) != PLAT_OK ||
        storage_info.block_size > MAX_BLOCK)
        guest_check(false, "devices as declared");
    else if (guest_streq(what, "block"))
        block();
    else if (guest_streq(what, "frame"))
        frame(service_info.mtu + 14);
    else if (guest_streq(what, "big-frame"))
        frame(service_info.mtu + 15);
    else if (guest_streq(what, "net"))
        net();
    else if (guest_streq(what, "full"))
        full();
    else if (guest_streq(what, "netdown"))
        netdown();
    else
        guest_check(false, "known test");
    plat_exit(guest_failures == 0 ? 0 : 1);
}
