/* The network transport on spt (see plat/solo5/devices.h): the guest
 * reads and writes the device's tap descriptor (non-blocking) directly.
 * On a tap with a virtio-net header (MIRAGE_EXT_NET_VHDR) the guest
 * switches the offloads itself (TUNSETOFFLOAD); while it moves bare
 * frames there, the header goes in an iovec of its own (readv, writev). */
#include "../solo5/devices.h"
#include "../solo5/ext.h"
#include "spt.h"

/* Whether device h's tap has a header the caller's frames do not. */
static bool bare_on_vhdr(plat_handle h)
{
    return solo5_ext_granted(MIRAGE_EXT_NET_VHDR) &&
           solo5_ext.net_vhdr[h] != 0 && solo5_net_offloads(h) == 0;
}

enum plat_result solo5_net_offload(plat_handle h,
                                   const struct solo5_mft_entry *e,
                                   uint32_t offloads)
{
    (void)h;
    long r = linux_syscall3(LINUX_SYS_ioctl, e->b.hostfd, LINUX_TUNSETOFFLOAD,
                            (unsigned long)offloads);
    return r == 0 ? PLAT_OK : PLAT_EUNSPEC;
}

enum plat_result solo5_net_send(plat_handle h, const struct solo5_mft_entry *e,
                                const void *buf, size_t len)
{
    static const struct mirage_net_vhdr zero;
    bool bare = bare_on_vhdr(h);
    struct linux_iovec iov[2] = {{(void *)&zero, sizeof zero},
                                 {(void *)(uintptr_t)buf, len}};
    size_t want = bare ? sizeof zero + len : len;
    long n;
    do
        n = bare ? linux_syscall3(LINUX_SYS_writev, e->b.hostfd, iov, 2)
                 : linux_syscall3(LINUX_SYS_write, e->b.hostfd, buf, len);
    while (n == -LINUX_EINTR);
    return n == (long)want ? PLAT_OK : PLAT_EUNSPEC;
}

enum plat_result solo5_net_receive(plat_handle h,
                                   const struct solo5_mft_entry *e, void *buf,
                                   size_t size, size_t *read)
{
    struct mirage_net_vhdr hdr;
    bool bare = bare_on_vhdr(h);
    struct linux_iovec iov[2] = {{&hdr, sizeof hdr}, {buf, size}};
    long n;
    do
        n = bare ? linux_syscall3(LINUX_SYS_readv, e->b.hostfd, iov, 2)
                 : linux_syscall3(LINUX_SYS_read, e->b.hostfd, buf, size);
    while (n == -LINUX_EINTR);
    if (n == -LINUX_EAGAIN)
        return PLAT_AGAIN;
    if (n < 0 || (bare && n < (long)sizeof hdr))
        return PLAT_EUNSPEC;
    *read = (size_t)n - (bare ? sizeof hdr : 0);
    return PLAT_OK;
}
