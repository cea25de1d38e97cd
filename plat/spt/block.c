/* The block transport on spt (see plat/solo5/devices.h): one block per
 * pwrite64 or pread64 on the backing file. The request was checked
 * before (the filter kills anything else), so a bad one is PLAT_EINVAL. */
#include "../solo5/devices.h"
#include "spt.h"

enum plat_result solo5_block_transfer(plat_handle h,
                                      const struct solo5_mft_entry *e,
                                      bool write, uint64_t offset, void *buf,
                                      size_t size)
{
    (void)h;
    long call = write ? LINUX_SYS_pwrite64 : LINUX_SYS_pread64;
    long n;
    do
        n = linux_syscall4(call, e->b.hostfd, buf, size, offset);
    while (n == -LINUX_EINTR);
    return n == (long)size ? PLAT_OK : PLAT_EUNSPEC;
}
