/* Network devices on unix: an existing tap interface, opened through
 * /dev/net/tun (IFF_TAP | IFF_NO_PI, non-blocking), so each read or write
 * is exactly one Ethernet frame. The MAC is a random locally administered
 * address (the tap's own MAC belongs to the host side); the MTU is the
 * interface's. With offloads asked for, the tap is opened with
 * IFF_VNET_HDR, a 12-byte header (TUNSETVNETHDRSZ) and TUNSETOFFLOAD; if
 * the kernel refuses any of it, the tap is opened again without, and
 * frames move bare. */
#include <mirage/plat.h>

#include "../linux/syscall.h"
#include "unix.h"

#define ETH_HEADER 14

static int copy_ifname(const char *name, char out[LINUX_IFNAMSIZ])
{
    size_t i = 0;
    for (; name[i]; i++) {
        if (i + 1 >= LINUX_IFNAMSIZ)
            return -1;
        out[i] = name[i];
    }
    if (i == 0)
        return -1;
    for (; i < LINUX_IFNAMSIZ; i++)
        out[i] = 0;
    return 0;
}

static int same_ifname(const char *a, const char *b)
{
    for (int i = 0; i < LINUX_IFNAMSIZ; i++) {
        if (a[i] != b[i])
            return 0;
        if (!a[i])
            return 1;
    }
    return 1;
}

/* The interface's MTU, or -errno (-ENODEV when it does not exist). */
static long interface_mtu(const char *ifname)
{
    long s = linux_syscall3(LINUX_SYS_socket, LINUX_AF_INET,
                            LINUX_SOCK_DGRAM | LINUX_SOCK_CLOEXEC, 0);
    if (s < 0)
        return s;
    struct linux_ifreq ifr = {0};
    copy_ifname(ifname, ifr.ifr_name);
    long r = linux_syscall3(LINUX_SYS_ioctl, s, LINUX_SIOCGIFMTU, &ifr);
    linux_syscall1(LINUX_SYS_close, s);
    return r < 0 ? r : ifr.ifr_mtu;
}

static void random_mac(uint8_t mac[6])
{
    if (plat_entropy(mac, 6) != PLAT_OK) {
        uint64_t t = plat_clock_monotonic() ^ plat_clock_wall();
        for (int i = 0; i < 6; i++)
            mac[i] = (uint8_t)(t >> (8 * i));
    }
    mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02); /* unicast, local */
}

/* The tap's TUN_F_* for the offloads PLAT_NET_OFFLOAD_*. */
static unsigned long tun_offloads(uint32_t offloads)
{
    return (offloads & PLAT_NET_OFFLOAD_CSUM ? LINUX_TUN_F_CSUM : 0) |
           (offloads & PLAT_NET_OFFLOAD_TSO4 ? LINUX_TUN_F_TSO4 : 0) |
           (offloads & PLAT_NET_OFFLOAD_TSO6 ? LINUX_TUN_F_TSO6 : 0);
}

/* Open the tap ifname, with a virtio-net header and these offloads if
 * offloads is not 0: the descriptor, or -errno. */
static long open_tap(const char ifname[LINUX_IFNAMSIZ], uint32_t offloads)
{
    long fd = linux_syscall3(LINUX_SYS_openat, LINUX_AT_FDCWD, "/dev/net/tun",
                             LINUX_O_RDWR | LINUX_O_NONBLOCK | LINUX_O_CLOEXEC);
    if (fd < 0)
        return fd;
    struct linux_ifreq ifr = {0};
    copy_ifname(ifname, ifr.ifr_name);
    ifr.ifr_flags = (int16_t)(LINUX_IFF_TAP | LINUX_IFF_NO_PI |
                              (offloads ? LINUX_IFF_VNET_HDR : 0));
    int hdr = (int)sizeof(struct plat_net_vhdr);
    long r = linux_syscall3(LINUX_SYS_ioctl, fd, LINUX_TUNSETIFF, &ifr);
    if (r == 0 && offloads)
        r = linux_syscall3(LINUX_SYS_ioctl, fd, LINUX_TUNSETVNETHDRSZ, &hdr);
    if (r == 0 && offloads)
        r = linux_syscall3(LINUX_SYS_ioctl, fd, LINUX_TUNSETOFFLOAD,
                           tun_offloads(offloads));
    /* Bare frames: clear the offloads an earlier owner of the tap may
     * have set (the interface keeps them, and would then hand us frames
     * whose checksum is left undone). */
    if (r == 0 && !offloads)
        linux_syscall3(LINUX_SYS_ioctl, fd, LINUX_TUNSETOFFLOAD, 0);
    if (r < 0) {
        linux_syscall1(LINUX_SYS_close, fd);
        return r;
    }
    return fd;
}

/* The tap keeps the offloads set on it after we close it, and a later
 * owner opening it for bare frames (a Solo5-style tender) would get
 * frames whose checksum is left undone: clear them when the unikernel
 * ends (plat_exit, or a termination signal; nothing can run on
 * SIGKILL). */
void unix_net_clear_offloads(void)
{
    for (int i = 0; i < PLAT_MAX_DEVICES; i++)
        if (unix_devs[i].kind == UNIX_DEV_NET && unix_devs[i].net.offloads)
            linux_syscall3(LINUX_SYS_ioctl, unix_devs[i].fd,
                           LINUX_TUNSETOFFLOAD, 0);
}

static void on_terminate(int sig, void *info, void *uc)
{
    (void)info, (void)uc;
    plat_exit(128 + sig);
}

/* Once a tap has offloads: SIGHUP, SIGINT and SIGTERM end the unikernel
 * through plat_exit (status 128 + the signal, as the shell reports a
 * death by signal) so that they are cleared. */
static void catch_termination(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    struct linux_sigaction sa = {
        .handler = on_terminate,
        .flags = LINUX_SA_SIGINFO | LINUX_SA_RESTORER,
        .restorer = unix_sigreturn, /* x86_64 Linux requires a restorer */
    };
    static const int sigs[] = {1, 2, 15}; /* SIGHUP, SIGINT, SIGTERM */
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        linux_syscall4(LINUX_SYS_rt_sigaction, sigs[i], &sa, 0, sizeof sa.mask);
}

enum plat_result plat_net_acquire(const char *name, plat_handle *h,
                                  struct plat_net_info *info)
{
    return plat_net_acquire_offload(name, 0, h, info);
}

enum plat_result plat_net_acquire_offload(const char *name, uint32_t wanted,
                                          plat_handle *h,
                                          struct plat_net_info *info)
{
    char ifname[LINUX_IFNAMSIZ];
    if (!name || !h || !info || copy_ifname(name, ifname) != 0)
        return PLAT_EINVAL;
    for (int i = 0; i < PLAT_MAX_DEVICES; i++) {
        if (unix_devs[i].kind == UNIX_DEV_NET &&
            same_ifname(unix_devs[i].net.ifname, ifname))
            return PLAT_EINVAL;
    }
    /* Check that the interface exists first: TUNSETIFF would create it. */
    long mtu = interface_mtu(ifname);
    if (mtu == -LINUX_ENODEV)
        return PLAT_EINVAL;
    if (mtu <= 0)
        mtu = 1500;

    plat_handle slot;
    struct unix_dev *d = unix_dev_alloc(&slot);
    if (!d)
        return PLAT_EUNSPEC;
    uint32_t offloads =
        wanted &
        (PLAT_NET_OFFLOAD_CSUM | PLAT_NET_OFFLOAD_TSO4 | PLAT_NET_OFFLOAD_TSO6);
    long fd = offloads ? open_tap(ifname, offloads) : -1;
    if (fd < 0) { /* bare frames: none asked for, or the kernel refused */
        offloads = 0;
        fd = open_tap(ifname, 0);
    }
    if (fd < 0) {
        /* EINVAL: the interface is not a tap. EBUSY: another process has
         * it. EPERM: no CAP_NET_ADMIN for it. */
        return fd == -LINUX_EINVAL ? PLAT_EINVAL : PLAT_EUNSPEC;
    }

    d->kind = UNIX_DEV_NET;
    d->fd = (int)fd;
    copy_ifname(ifname, d->net.ifname);
    d->net.mtu = (size_t)mtu;
    d->net.offloads = offloads;
    if (offloads)
        catch_termination();
    *h = slot;
    info->mtu = (size_t)mtu;
    info->offloads = offloads;
    random_mac(info->mac);
    return PLAT_OK;
}

/* The most bytes one read or write of d moves (its header included). */
static size_t max_transfer(const struct unix_dev *d)
{
    if (!d->net.offloads)
        return d->net.mtu + ETH_HEADER;
    size_t frame =
        d->net.offloads & (PLAT_NET_OFFLOAD_TSO4 | PLAT_NET_OFFLOAD_TSO6)
            ? PLAT_NET_GSO_MAX
            : d->net.mtu + ETH_HEADER;
    return sizeof(struct plat_net_vhdr) + frame;
}

enum plat_result plat_net_write(plat_handle h, const void *buf, size_t len)
{
    struct unix_dev *d = unix_dev_get(h, UNIX_DEV_NET);
    if (!d || !buf || len == 0 || len > max_transfer(d))
        return PLAT_EINVAL;
    for (;;) {
        long n = linux_syscall3(LINUX_SYS_write, d->fd, buf, len);
        if (n == (long)len)
            return PLAT_OK;
        if (n != -LINUX_EINTR)
            return PLAT_EUNSPEC;
    }
}

enum plat_result plat_net_read(plat_handle h, void *buf, size_t size,
                               size_t *read)
{
    struct unix_dev *d = unix_dev_get(h, UNIX_DEV_NET);
    if (!d || !buf || !read || size < max_transfer(d))
        return PLAT_EINVAL;
    for (;;) {
        long n = linux_syscall3(LINUX_SYS_read, d->fd, buf, size);
        if (n >= 0) {
            *read = (size_t)n;
            return PLAT_OK;
        }
        if (n == -LINUX_EAGAIN)
            return PLAT_AGAIN;
        if (n != -LINUX_EINTR)
            return PLAT_EUNSPEC;
    }
}
