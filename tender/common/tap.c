/* Opening tap devices for network devices. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tender.h"

#define DEFAULT_MTU 1500

static int set_nonblock(int fd, const char *spec, char *err)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return tender_errf(err, "tap %s: %s", spec, strerror(errno));
    return 0;
}

static int open_fd_spec(const char *spec, int *fd, uint16_t *mtu, char *err)
{
    long v = 0;
    const char *s = spec + 1;
    if (*s == '\0')
        return tender_errf(err, "tap %s: expected @FD", spec);
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 1000000)
            return tender_errf(err, "tap %s: expected @FD", spec);
        v = v * 10 + (*s - '0');
    }
    if (v <= 2 || fcntl((int)v, F_GETFD) < 0)
        return tender_errf(err, "tap %s: not an open descriptor above 2", spec);
    if (set_nonblock((int)v, spec, err) < 0)
        return -1;
    *fd = (int)v;
    *mtu = DEFAULT_MTU;
    return 0;
}

/* The offloads a tap opened with IFF_VNET_HDR takes: the largest set the
 * kernel accepts among those MIRAGE_EXT_NET_VHDR offers, or 0. They are
 * turned off again: the guest switches them on. */
static uint8_t probe_offloads(int t)
{
    static const uint8_t sets[] = {
        MIRAGE_NET_OFFLOAD_CSUM | MIRAGE_NET_OFFLOAD_TSO4 |
            MIRAGE_NET_OFFLOAD_TSO6,
        MIRAGE_NET_OFFLOAD_CSUM | MIRAGE_NET_OFFLOAD_TSO4,
        MIRAGE_NET_OFFLOAD_CSUM};
    int hdr = MIRAGE_NET_VHDR_SIZE;
    if (ioctl(t, TUNSETVNETHDRSZ, &hdr) < 0)
        return 0;
    for (unsigned i = 0; i < sizeof sets; i++)
        if (ioctl(t, TUNSETOFFLOAD, (unsigned long)sets[i]) == 0)
            return ioctl(t, TUNSETOFFLOAD, 0ul) == 0 ? sets[i] : 0;
    return 0;
}

/* Attach a new /dev/net/tun descriptor to the tap spec (with a
 * virtio-net header if vnet): the descriptor, or -1 with errno set. */
static int attach_tap(const char *spec, bool vnet)
{
    int t = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (t < 0)
        return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0);
    strcpy(ifr.ifr_name, spec);
    if (ioctl(t, TUNSETIFF, &ifr) < 0) {
        int e = errno;
        close(t);
        errno = e;
        return -1;
    }
    return t;
}

int tender_tap_open(const char *spec, bool vhdr, int *fd, uint16_t *mtu,
                    uint8_t *offloads, char *err)
{
    *offloads = 0;
    if (spec[0] == '@')
        return open_fd_spec(spec, fd, mtu, err);
    struct ifreq ifr;
    if (strlen(spec) >= sizeof ifr.ifr_name)
        return tender_errf(err, "tap %s: interface name too long", spec);
    /* TUNSETIFF would create a missing interface; attach only to an
     * existing one. */
    if (if_nametoindex(spec) == 0)
        return tender_errf(err, "tap %s: no such interface", spec);
    int t = vhdr ? attach_tap(spec, true) : -1;
    if (t >= 0 && (*offloads = probe_offloads(t)) == 0) {
        close(t); /* no offloads: bare frames, as without the header */
        t = -1;
    }
    if (t < 0) {
        if ((t = attach_tap(spec, false)) < 0) {
            int e = errno;
            if (e == EPERM)
                return tender_errf(err,
                                   "tap %s: permission denied (is the "
                                   "interface created for this user?)",
                                   spec);
            return tender_errf(err, "tap %s: %s", spec, strerror(e));
        }
        /* The interface keeps the offloads an earlier owner switched on
         * (a unikernel killed before it could clear them), and would
         * hand a bare reader frames with partial checksums: clear them.
         * A tap that refuses has none to clear. */
        (void)ioctl(t, TUNSETOFFLOAD, 0ul);
    }
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq mr;
    memset(&mr, 0, sizeof mr);
    strcpy(mr.ifr_name, spec);
    if (s < 0 || ioctl(s, SIOCGIFMTU, &mr) < 0 || mr.ifr_mtu <= 0 ||
        mr.ifr_mtu > 65535) {
        int e = errno;
        if (s >= 0)
            close(s);
        close(t);
        return tender_errf(err, "tap %s: cannot read the MTU: %s", spec,
                           strerror(e));
    }
    close(s);
    *fd = t;
    *mtu = (uint16_t)mr.ifr_mtu;
    return 0;
}
