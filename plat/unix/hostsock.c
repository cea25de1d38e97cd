/* Host sockets on unix (<mirage/hostsock.h>): non-blocking IPv4 and IPv6
 * sockets on raw system calls, registered edge-triggered with one epoll
 * instance that sits in the device table as the poller. */
#include <mirage/error.h>
#include <mirage/hostsock.h>
#include <string.h>

#include "../linux/syscall.h"
#include "unix.h"

static int poller_fd = -1;
static plat_handle poller_handle;

/* The MIRAGE_E* code of a system call's -errno. */
static int error_of(long r)
{
    switch (-r) {
    case LINUX_EAGAIN:
    case LINUX_EINPROGRESS:
    case LINUX_EALREADY:
        return MIRAGE_EAGAIN;
    case LINUX_ECONNREFUSED:
        return MIRAGE_ECONNREFUSED;
    case LINUX_ECONNRESET:
    case LINUX_ECONNABORTED:
        return MIRAGE_ECONNRESET;
    case LINUX_ETIMEDOUT:
        return MIRAGE_ETIMEDOUT;
    case LINUX_EHOSTUNREACH:
    case LINUX_ENETUNREACH:
    case LINUX_ENETDOWN:
        return MIRAGE_EUNREACH;
    case LINUX_EADDRINUSE:
        return MIRAGE_EINUSE;
    case LINUX_EPIPE:
    case LINUX_ENOTCONN:
        return MIRAGE_ECLOSED;
    case LINUX_ENOMEM:
    case LINUX_ENOBUFS:
    case LINUX_EMFILE:
    case LINUX_ENFILE:
        return MIRAGE_ENOMEM;
    case LINUX_EINVAL:
    case LINUX_EBADF:
    case LINUX_ENOTSOCK:
    case LINUX_EADDRNOTAVAIL:
    case LINUX_EMSGSIZE:
        return MIRAGE_EINVAL;
    default:
        return MIRAGE_EIO;
    }
}

/* A system call, made again while a signal interrupts it. */
static long call6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
    long r;
    do
        r = linux_syscall6(n, a1, a2, a3, a4, a5, a6);
    while (r == -LINUX_EINTR);
    return r;
}

static uint16_t swap16(uint16_t v)
{
    return (uint16_t)((v >> 8) | (v << 8));
}

/* Room for a socket address of either family. */
union sockaddr_any {
    struct linux_sockaddr_in v4;
    struct linux_sockaddr_in6 v6;
};

/* The host's form of a; returns its length. */
static uint32_t sockaddr_of(const struct hostsock_addr *a,
                            union sockaddr_any *s)
{
    if (a->ip.version == MIRAGE_IP_V6) {
        s->v6 = (struct linux_sockaddr_in6){
            .sin6_family = LINUX_AF_INET6,
            .sin6_port = swap16(a->port),
        };
        memcpy(s->v6.sin6_addr, a->ip.v6, 16);
        return sizeof(s->v6);
    }
    s->v4 = (struct linux_sockaddr_in){
        .sin_family = LINUX_AF_INET,
        .sin_port = swap16(a->port),
        .sin_addr = __builtin_bswap32(a->ip.v4),
    };
    return sizeof(s->v4);
}

/* The address s of len bytes, a v4-mapped IPv6 one as IPv4. */
static struct hostsock_addr addr_of(const union sockaddr_any *s, uint32_t len)
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0,    0,
                                       0, 0, 0, 0, 0xff, 0xff};
    struct hostsock_addr a = {.ip = mirage_ipaddr_of_v4(MIRAGE_IPV4_ANY)};
    if (s->v4.sin_family == LINUX_AF_INET6 && len >= sizeof(s->v6)) {
        const uint8_t *b = s->v6.sin6_addr;
        a.port = swap16(s->v6.sin6_port);
        if (memcmp(b, mapped, sizeof(mapped)) == 0) {
            a.ip.v4 = (mirage_ipv4_addr)b[12] << 24 |
                      (mirage_ipv4_addr)b[13] << 16 |
                      (mirage_ipv4_addr)b[14] << 8 | b[15];
        } else {
            a.ip.version = MIRAGE_IP_V6;
            memcpy(a.ip.v6, b, 16);
        }
    } else if (s->v4.sin_family == LINUX_AF_INET) {
        a.ip.v4 = __builtin_bswap32(s->v4.sin_addr);
        a.port = swap16(s->v4.sin_port);
    }
    return a;
}

int hostsock_poller(plat_handle *h)
{
    if (poller_fd < 0) {
        struct unix_dev *d = unix_dev_alloc(&poller_handle);
        if (!d)
            return MIRAGE_ENOMEM;
        long fd = linux_syscall1(LINUX_SYS_epoll_create1, LINUX_EPOLL_CLOEXEC);
        if (fd < 0)
            return error_of(fd);
        d->kind = UNIX_DEV_SOCKETS;
        d->fd = (int)fd;
        poller_fd = (int)fd;
    }
    *h = poller_handle;
    return 0;
}

static int setopt(int fd, int level, int name, int value)
{
    long r = linux_syscall5(LINUX_SYS_setsockopt, fd, level, name, &value,
                            sizeof(value));
    return r < 0 ? error_of(r) : 0;
}

/* Add fd to the poller, or modify its registration (op). */
static long poller_ctl(int op, long fd, void *token)
{
    struct linux_epoll_event ev = {
        .events =
            LINUX_EPOLLIN | LINUX_EPOLLOUT | LINUX_EPOLLRDHUP | LINUX_EPOLLET,
        .data = (uint64_t)(uintptr_t)token,
    };
    if (poller_fd < 0)
        return -LINUX_EBADF;
    return linux_syscall4(LINUX_SYS_epoll_ctl, poller_fd, op, fd, &ev);
}

int hostsock_rearm(int fd, void *token)
{
    long r = poller_ctl(LINUX_EPOLL_CTL_MOD, fd, token);
    return r < 0 ? error_of(r) : 0;
}

/* Register the new descriptor fd with the poller, or close it. */
static int watch(long fd, void *token)
{
    if (fd < 0)
        return error_of(fd);
    long r = poller_ctl(LINUX_EPOLL_CTL_ADD, fd, token);
    if (r < 0) {
        linux_syscall1(LINUX_SYS_close, fd);
        return error_of(r);
    }
    return (int)fd;
}

/* The options of a new socket fd: IPV6_V6ONLY of IPv6 sockets, and the
 * error queues of UDP sockets (IPv4 errors reach a dual socket through
 * IP_RECVERR). 0 or an error. */
static int set_up(int fd, enum hostsock_type type, enum hostsock_family family)
{
    int r = 0;
    if (family != HOSTSOCK_INET)
        r = setopt(fd, LINUX_IPPROTO_IPV6, LINUX_IPV6_V6ONLY,
                   family == HOSTSOCK_INET6);
    if (r == 0 && type == HOSTSOCK_UDP && family != HOSTSOCK_INET)
        r = setopt(fd, LINUX_IPPROTO_IPV6, LINUX_IPV6_RECVERR, 1);
    if (r == 0 && type == HOSTSOCK_UDP && family != HOSTSOCK_INET6)
        r = setopt(fd, LINUX_IPPROTO_IP, LINUX_IP_RECVERR, 1);
    return r;
}

int hostsock_open(enum hostsock_type type, enum hostsock_family family,
                  void *token)
{
    int kind = type == HOSTSOCK_TCP ? LINUX_SOCK_STREAM : LINUX_SOCK_DGRAM;
    long fd =
        linux_syscall3(LINUX_SYS_socket,
                       family == HOSTSOCK_INET ? LINUX_AF_INET : LINUX_AF_INET6,
                       kind | LINUX_SOCK_NONBLOCK | LINUX_SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        int r = set_up((int)fd, type, family);
        if (r < 0) {
            linux_syscall1(LINUX_SYS_close, fd);
            return r;
        }
    }
    return watch(fd, token);
}

void hostsock_close(int fd)
{
    linux_syscall1(LINUX_SYS_close, fd);
}

int hostsock_bind(int fd, const struct hostsock_addr *a, bool reuse)
{
    if (reuse) {
        int r = setopt(fd, LINUX_SOL_SOCKET, LINUX_SO_REUSEADDR, 1);
        if (r < 0)
            return r;
    }
    union sockaddr_any s;
    uint32_t len = sockaddr_of(a, &s);
    long r = linux_syscall3(LINUX_SYS_bind, fd, &s, len);
    return r < 0 ? error_of(r) : 0;
}

int hostsock_listen(int fd, int backlog)
{
    long r = linux_syscall2(LINUX_SYS_listen, fd, backlog);
    return r < 0 ? error_of(r) : 0;
}

int hostsock_accept(int fd, void *token, struct hostsock_addr *peer)
{
    union sockaddr_any s = {0};
    uint32_t slen = sizeof(s);
    long c = call6(LINUX_SYS_accept4, fd, (long)&s, (long)&slen,
                   LINUX_SOCK_NONBLOCK | LINUX_SOCK_CLOEXEC, 0, 0);
    if (c >= 0 && peer)
        *peer = addr_of(&s, slen);
    return watch(c, token);
}

int hostsock_connect(int fd, const struct hostsock_addr *a)
{
    union sockaddr_any s;
    uint32_t len = sockaddr_of(a, &s);
    /* Interrupted, the attempt goes on in the background. */
    long r = linux_syscall3(LINUX_SYS_connect, fd, &s, len);
    if (r == -LINUX_EINTR)
        return MIRAGE_EAGAIN;
    return r < 0 ? error_of(r) : 0;
}

int hostsock_connected(int fd)
{
    int err = 0;
    uint32_t len = sizeof(err);
    long r = linux_syscall5(LINUX_SYS_getsockopt, fd, LINUX_SOL_SOCKET,
                            LINUX_SO_ERROR, &err, &len);
    if (r < 0)
        return error_of(r);
    if (err)
        return error_of(-err);
    /* No error yet: connected once the peer's address is known. */
    struct hostsock_addr peer;
    r = hostsock_remote(fd, &peer);
    return r == MIRAGE_ECLOSED ? MIRAGE_EAGAIN : (int)r;
}

long hostsock_send(int fd, const void *buf, size_t len)
{
    long r = call6(LINUX_SYS_sendto, fd, (long)buf, (long)len,
                   LINUX_MSG_NOSIGNAL, 0, 0);
    return r < 0 ? error_of(r) : r;
}

long hostsock_recv(int fd, void *buf, size_t len)
{
    long r = call6(LINUX_SYS_recvfrom, fd, (long)buf, (long)len, 0, 0, 0);
    return r < 0 ? error_of(r) : r;
}

int hostsock_sendto(int fd, const void *buf, size_t len,
                    const struct hostsock_addr *to)
{
    union sockaddr_any s;
    uint32_t slen = sockaddr_of(to, &s);
    long r = call6(LINUX_SYS_sendto, fd, (long)buf, (long)len,
                   LINUX_MSG_NOSIGNAL, (long)&s, slen);
    return r < 0 ? error_of(r) : 0;
}

long hostsock_recvfrom(int fd, void *buf, size_t len,
                       struct hostsock_addr *from)
{
    union sockaddr_any s = {0};
    uint32_t slen = sizeof(s);
    long r = call6(LINUX_SYS_recvfrom, fd, (long)buf, (long)len, 0, (long)&s,
                   (long)&slen);
    if (r < 0)
        return error_of(r);
    *from = addr_of(&s, slen);
    return r;
}

int hostsock_recverr(int fd, struct hostsock_addr *dst, int *err)
{
    union sockaddr_any s = {0};
    uint64_t control[64];
    uint8_t quote[8];
    struct linux_iovec iov = {quote, sizeof(quote)};
    struct linux_msghdr msg = {
        .msg_name = &s,
        .msg_namelen = sizeof(s),
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control,
        .msg_controllen = sizeof(control),
    };
    long r = call6(LINUX_SYS_recvmsg, fd, (long)&msg,
                   LINUX_MSG_ERRQUEUE | LINUX_MSG_DONTWAIT, 0, 0, 0);
    if (r < 0)
        return error_of(r);
    *dst = addr_of(&s, msg.msg_namelen);
    *err = MIRAGE_EIO;
    /* Walk the control messages for the IP_RECVERR or IPV6_RECVERR one. */
    const uint8_t *p = (const uint8_t *)control;
    size_t left = msg.msg_controllen;
    while (left >= sizeof(struct linux_cmsghdr)) {
        const struct linux_cmsghdr *c = (const struct linux_cmsghdr *)p;
        if (c->cmsg_len < sizeof(*c) || c->cmsg_len > left)
            break;
        bool v4 = c->cmsg_level == LINUX_IPPROTO_IP &&
                  c->cmsg_type == LINUX_IP_RECVERR;
        bool v6 = c->cmsg_level == LINUX_IPPROTO_IPV6 &&
                  c->cmsg_type == LINUX_IPV6_RECVERR;
        if ((v4 || v6) &&
            c->cmsg_len >=
                sizeof(*c) + sizeof(struct linux_sock_extended_err)) {
            const struct linux_sock_extended_err *e =
                (const struct linux_sock_extended_err *)(c + 1);
            *err = error_of(-(long)e->ee_errno);
            break;
        }
        size_t step = (c->cmsg_len + 7) & ~(size_t)7;
        if (step >= left)
            break;
        p += step;
        left -= step;
    }
    return 0;
}

_Static_assert(HOSTSOCK_SHUT_RD == LINUX_SHUT_RD &&
                   HOSTSOCK_SHUT_WR == LINUX_SHUT_WR &&
                   HOSTSOCK_SHUT_RDWR == LINUX_SHUT_RDWR,
               "shutdown's constants are the host's");

int hostsock_shutdown(int fd, enum hostsock_shut how)
{
    long r = linux_syscall2(LINUX_SYS_shutdown, fd, how);
    return r < 0 ? error_of(r) : 0;
}

int hostsock_nodelay(int fd, bool on)
{
    return setopt(fd, LINUX_IPPROTO_TCP, LINUX_TCP_NODELAY, on);
}

int hostsock_keepalive(int fd, unsigned idle_s, unsigned interval_s,
                       unsigned probes)
{
    if (idle_s == 0)
        return setopt(fd, LINUX_SOL_SOCKET, LINUX_SO_KEEPALIVE, 0);
    int r = setopt(fd, LINUX_IPPROTO_TCP, LINUX_TCP_KEEPIDLE, (int)idle_s);
    if (r == 0)
        r = setopt(fd, LINUX_IPPROTO_TCP, LINUX_TCP_KEEPINTVL, (int)interval_s);
    if (r == 0)
        r = setopt(fd, LINUX_IPPROTO_TCP, LINUX_TCP_KEEPCNT, (int)probes);
    if (r == 0)
        r = setopt(fd, LINUX_SOL_SOCKET, LINUX_SO_KEEPALIVE, 1);
    return r;
}

static int name_of(long call, int fd, struct hostsock_addr *out)
{
    union sockaddr_any s = {0};
    uint32_t slen = sizeof(s);
    long r = linux_syscall3(call, fd, &s, &slen);
    if (r < 0)
        return error_of(r);
    *out = addr_of(&s, slen);
    return 0;
}

int hostsock_local(int fd, struct hostsock_addr *out)
{
    return name_of(LINUX_SYS_getsockname, fd, out);
}

int hostsock_remote(int fd, struct hostsock_addr *out)
{
    return name_of(LINUX_SYS_getpeername, fd, out);
}

size_t hostsock_events(struct hostsock_event *out, size_t max)
{
    struct linux_epoll_event evs[64];
    if (poller_fd < 0 || max == 0)
        return 0;
    if (max > sizeof(evs) / sizeof(evs[0]))
        max = sizeof(evs) / sizeof(evs[0]);
    long n =
        call6(LINUX_SYS_epoll_pwait, poller_fd, (long)evs, (long)max, 0, 0, 0);
    if (n <= 0)
        return 0;
    for (long i = 0; i < n; i++) {
        uint32_t e = evs[i].events;
        out[i].token = (void *)(uintptr_t)evs[i].data;
        out[i].what =
            ((e & (LINUX_EPOLLIN | LINUX_EPOLLRDHUP)) ? HOSTSOCK_IN : 0) |
            ((e & LINUX_EPOLLOUT) ? HOSTSOCK_OUT : 0) |
            ((e & (LINUX_EPOLLERR | LINUX_EPOLLHUP)) ? HOSTSOCK_ERR : 0);
    }
    return (size_t)n;
}
