/* Test guest with one block device, "storage"; its first argument says
 * what to do.
 *   rw           print capacity and block size, write block i full of
 *                'A' + i % 26, read every block back and check it, and
 *                check that bad requests are PLAT_EINVAL
 *   pwrite-past  pwrite64 one block at the capacity, bypassing the
 *                bindings' checks (killed by SIGSYS)
 *   pread-big    pread64 two blocks at offset 0 (killed by SIGSYS) */
#include "../../../plat/linux/syscall.h"
#include "../../../plat/solo5/manifest.h"
#include "../../tender/guest.h"

#include <mirage/plat.h>
#include <mirage/solo5.h>

SOLO5_MANIFEST(1, SOLO5_MFT_BLOCK("storage"));

#define MAX_BLOCK 32768

static uint8_t buf[2 * MAX_BLOCK];

static void fill(uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++)
        p[i] = v;
}

static int check(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return 1;
    return 0;
}

static int rw(plat_handle h, const struct plat_block_info *info)
{
    uint64_t bs = info->block_size, n = info->capacity / bs;
    for (uint64_t i = 0; i < n; i++) {
        fill(buf, bs, (uint8_t)('A' + i % 26));
        if (plat_block_write(h, i * bs, buf, bs) != PLAT_OK)
            return 1;
    }
    for (uint64_t i = 0; i < n; i++) {
        fill(buf, bs, 0);
        if (plat_block_read(h, i * bs, buf, bs) != PLAT_OK ||
            check(buf, bs, (uint8_t)('A' + i % 26)))
            return 2;
    }
    if (plat_block_read(h, 1, buf, bs) != PLAT_EINVAL ||
        plat_block_read(h, 0, buf, bs / 2) != PLAT_EINVAL ||
        plat_block_write(h, info->capacity, buf, bs) != PLAT_EINVAL ||
        plat_block_read(h, 0, buf, 2 * bs) != PLAT_EINVAL ||
        plat_block_read(h + 1, 0, buf, bs) != PLAT_EINVAL)
        return 3;
    return 0;
}

/* A raw pread64/pwrite64 on the device's descriptor, as a guest that
 * ignores the bindings' checks would make it. */
static void raw_io(long call, plat_handle h, uint64_t count, uint64_t offset)
{
    const struct solo5_mft_entry *e =
        solo5_mft_device(h, SOLO5_MFT_DEV_BLOCK_BASIC);
    linux_syscall4(call, e->b.hostfd, buf, count, offset);
    guest_print("block: the sandbox allowed the request\n");
    plat_exit(1);
}

_Noreturn void mirage_rt_boot(const struct plat_boot *b)
{
    const char *cmd = b->argc > 1 ? b->argv[1] : "";
    plat_handle h, h2;
    struct plat_block_info info;
    if (plat_block_acquire("storage", &h, &info) != PLAT_OK ||
        plat_block_acquire("storage", &h2, &info) != PLAT_EINVAL ||
        plat_block_acquire("nothere", &h2, &info) != PLAT_EINVAL) {
        guest_print("block: acquire failed\n");
        plat_exit(1);
    }
    int status = 0;
    if (guest_streq(cmd, "rw")) {
        guest_print("capacity ");
        guest_print_u64(info.capacity);
        guest_print(" block ");
        guest_print_u64(info.block_size);
        guest_print("\n");
        status = rw(h, &info);
        guest_print(status ? "block failed\n" : "block ok\n");
    } else if (guest_streq(cmd, "pwrite-past")) {
        raw_io(LINUX_SYS_pwrite64, h, info.block_size, info.capacity);
    } else if (guest_streq(cmd, "pread-big")) {
        raw_io(LINUX_SYS_pread64, h, 2 * info.block_size, 0);
    } else {
        guest_print("block: unknown command\n");
        status = 2;
    }
    plat_exit(status);
}
