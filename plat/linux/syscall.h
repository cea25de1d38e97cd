/* Raw Linux x86_64 system calls for the platforms that run as Linux
 * processes without a libc (unix, spt). Each returns the kernel's result:
 * a value >= 0, or -errno. */
#ifndef MIRAGE_PLAT_LINUX_SYSCALL_H
#define MIRAGE_PLAT_LINUX_SYSCALL_H

#include <stdint.h>

static inline long linux_syscall6(long n, long a1, long a2, long a3, long a4,
                                  long a5, long a6)
{
    long ret;
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8),
                       "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}
#define linux_syscall0(n)    linux_syscall6(n, 0, 0, 0, 0, 0, 0)
#define linux_syscall1(n, a) linux_syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define linux_syscall2(n, a, b)                                                \
    linux_syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define linux_syscall3(n, a, b, c)                                             \
    linux_syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define linux_syscall4(n, a, b, c, d)                                          \
    linux_syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define linux_syscall5(n, a, b, c, d, e)                                       \
    linux_syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/* The system call numbers used by the platforms (x86_64). */
enum {
    LINUX_SYS_read = 0,
    LINUX_SYS_write = 1,
    LINUX_SYS_open = 2,
    LINUX_SYS_close = 3,
    LINUX_SYS_fstat = 5,
    LINUX_SYS_poll = 7,
    LINUX_SYS_mmap = 9,
    LINUX_SYS_mprotect = 10,
    LINUX_SYS_munmap = 11,
    LINUX_SYS_rt_sigaction = 13,
    LINUX_SYS_rt_sigreturn = 15,
    LINUX_SYS_ioctl = 16,
    LINUX_SYS_pread64 = 17,
    LINUX_SYS_pwrite64 = 18,
    LINUX_SYS_readv = 19,
    LINUX_SYS_writev = 20,
    LINUX_SYS_socket = 41,
    LINUX_SYS_connect = 42,
    LINUX_SYS_accept = 43,
    LINUX_SYS_sendto = 44,
    LINUX_SYS_recvfrom = 45,
    LINUX_SYS_recvmsg = 47,
    LINUX_SYS_shutdown = 48,
    LINUX_SYS_bind = 49,
    LINUX_SYS_listen = 50,
    LINUX_SYS_getsockname = 51,
    LINUX_SYS_getpeername = 52,
    LINUX_SYS_setsockopt = 54,
    LINUX_SYS_getsockopt = 55,
    LINUX_SYS_fcntl = 72,
    LINUX_SYS_sigaltstack = 131,
    LINUX_SYS_arch_prctl = 158,
    LINUX_SYS_clock_gettime = 228,
    LINUX_SYS_exit_group = 231,
    LINUX_SYS_epoll_ctl = 233,
    LINUX_SYS_openat = 257,
    LINUX_SYS_ppoll = 271,
    LINUX_SYS_timerfd_settime = 286,
    LINUX_SYS_accept4 = 288,
    LINUX_SYS_epoll_pwait = 281,
    LINUX_SYS_epoll_create1 = 291,
    LINUX_SYS_getrandom = 318,
};

#define LINUX_ARCH_SET_FS     0x1002
#define LINUX_ARCH_GET_FS     0x1003
#define LINUX_CLOCK_REALTIME  0
#define LINUX_CLOCK_MONOTONIC 1

/* errno values (the syscalls return their negation). */
#define LINUX_EPERM   1
#define LINUX_ENOENT  2
#define LINUX_EINTR   4
#define LINUX_EIO     5
#define LINUX_EAGAIN  11
#define LINUX_EACCES  13
#define LINUX_ENODEV  19
#define LINUX_ENOTDIR 20
#define LINUX_EISDIR  21
#define LINUX_EINVAL  22
#define LINUX_EROFS   30
/* ... and those of the socket calls (plat/unix/hostsock.c). */
#define LINUX_EBADF         9
#define LINUX_ENOMEM        12
#define LINUX_ENFILE        23
#define LINUX_EMFILE        24
#define LINUX_EPIPE         32
#define LINUX_ENOTSOCK      88
#define LINUX_EMSGSIZE      90
#define LINUX_EADDRINUSE    98
#define LINUX_EADDRNOTAVAIL 99
#define LINUX_ENETDOWN      100
#define LINUX_ENETUNREACH   101
#define LINUX_ECONNABORTED  103
#define LINUX_ECONNRESET    104
#define LINUX_ENOBUFS       105
#define LINUX_ENOTCONN      107
#define LINUX_ETIMEDOUT     110
#define LINUX_ECONNREFUSED  111
#define LINUX_EHOSTUNREACH  113
#define LINUX_EALREADY      114
#define LINUX_EINPROGRESS   115

/* open flags, and the directory fd meaning "relative to the cwd". */
#define LINUX_O_RDONLY   0
#define LINUX_O_RDWR     2
#define LINUX_O_NONBLOCK 04000
#define LINUX_O_CLOEXEC  02000000
#define LINUX_AT_FDCWD   (-100)

/* mmap */
#define LINUX_PROT_NONE     0
#define LINUX_PROT_READ     1
#define LINUX_PROT_WRITE    2
#define LINUX_MAP_PRIVATE   0x02
#define LINUX_MAP_ANONYMOUS 0x20
#define LINUX_MAP_NORESERVE 0x4000

/* poll events */
#define LINUX_POLLIN  0x001
#define LINUX_POLLOUT 0x004
#define LINUX_POLLERR 0x008
#define LINUX_POLLHUP 0x010

/* File types in st_mode. */
#define LINUX_S_IFMT  0170000
#define LINUX_S_IFREG 0100000
#define LINUX_S_IFBLK 0060000

/* ioctl requests: tap set-up, interface MTU, block device size. */
#define LINUX_TUNSETIFF    0x400454ca
#define LINUX_SIOCGIFMTU   0x8921
#define LINUX_BLKGETSIZE64 0x80081272
#define LINUX_IFF_TAP      0x0002
#define LINUX_IFF_NO_PI    0x1000
#define LINUX_IFF_VNET_HDR 0x4000
/* Tap offloads: the virtio-net header's size, and what the host may hand
 * us unsegmented and without checksums (TUN_F_*). */
#define LINUX_TUNSETOFFLOAD   0x400454d0
#define LINUX_TUNSETVNETHDRSZ 0x400454d8
#define LINUX_TUN_F_CSUM      0x01
#define LINUX_TUN_F_TSO4      0x02
#define LINUX_TUN_F_TSO6      0x04
#define LINUX_IFNAMSIZ        16
#define LINUX_AF_INET         2
#define LINUX_AF_INET6        10
#define LINUX_SOCK_DGRAM      2
#define LINUX_SOCK_CLOEXEC    LINUX_O_CLOEXEC

/* Sockets: types and flags, options, shutdown, message flags, epoll. */
#define LINUX_SOCK_STREAM   1
#define LINUX_SOCK_NONBLOCK LINUX_O_NONBLOCK
#define LINUX_SOL_SOCKET    1
#define LINUX_SO_REUSEADDR  2
#define LINUX_SO_ERROR      4
#define LINUX_SO_KEEPALIVE  9
#define LINUX_IPPROTO_IP    0
#define LINUX_IPPROTO_TCP   6
#define LINUX_IP_RECVERR    11
#define LINUX_IPPROTO_IPV6  41
#define LINUX_IPV6_RECVERR  25
#define LINUX_IPV6_V6ONLY   26
#define LINUX_TCP_NODELAY   1
#define LINUX_TCP_KEEPIDLE  4
#define LINUX_TCP_KEEPINTVL 5
#define LINUX_TCP_KEEPCNT   6
#define LINUX_SHUT_RD       0
#define LINUX_SHUT_WR       1
#define LINUX_SHUT_RDWR     2
#define LINUX_MSG_DONTWAIT  0x40
#define LINUX_MSG_ERRQUEUE  0x2000
#define LINUX_MSG_NOSIGNAL  0x4000
#define LINUX_EPOLL_CLOEXEC LINUX_O_CLOEXEC
#define LINUX_EPOLL_CTL_ADD 1
#define LINUX_EPOLL_CTL_MOD 3
#define LINUX_EPOLLIN       0x001
#define LINUX_EPOLLOUT      0x004
#define LINUX_EPOLLERR      0x008
#define LINUX_EPOLLHUP      0x010
#define LINUX_EPOLLRDHUP    0x2000
#define LINUX_EPOLLET       (1u << 31)

/* Auxiliary vector entries read at start-up. */
#define LINUX_AT_NULL         0
#define LINUX_AT_RANDOM       25 /* address of 16 random bytes */
#define LINUX_AT_SYSINFO_EHDR 33 /* address of the vDSO's ELF header */

struct linux_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

/* struct stat as x86_64 fstat() fills it. */
struct linux_stat {
    uint64_t st_dev;
    uint64_t st_ino;
    uint64_t st_nlink;
    uint32_t st_mode;
    uint32_t st_uid;
    uint32_t st_gid;
    uint32_t pad0;
    uint64_t st_rdev;
    int64_t st_size;
    int64_t st_blksize;
    int64_t st_blocks;
    struct linux_timespec st_atim, st_mtim, st_ctim;
    int64_t reserved[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "x86_64 struct stat");

/* Signals: the synchronous faults, and what a handler is given. */
#define LINUX_SIGILL      4
#define LINUX_SIGTRAP     5
#define LINUX_SIGBUS      7
#define LINUX_SIGFPE      8
#define LINUX_SIGSEGV     11
#define LINUX_SA_SIGINFO  0x00000004ul
#define LINUX_SA_RESTORER 0x04000000ul
#define LINUX_SA_ONSTACK  0x08000000ul
#define LINUX_SA_NODEFER  0x40000000ul
struct linux_sigaction {
    void (*handler)(int, void *, void *); /* (signo, siginfo, ucontext) */
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};
struct linux_stack {
    void *sp;
    int flags;
    uint64_t size;
};
/* In the siginfo of a fault: the faulting address. */
#define LINUX_SIGINFO_ADDR_OFFSET 16
/* In the ucontext: the saved RIP (uc_mcontext.gregs[REG_RIP]). */
#define LINUX_UCONTEXT_RIP_OFFSET 168

struct linux_pollfd {
    int32_t fd;
    int16_t events;
    int16_t revents;
};

/* struct ifreq: the interface name and one of the request's fields. */
struct linux_ifreq {
    char ifr_name[LINUX_IFNAMSIZ];
    union {
        int16_t ifr_flags;
        int32_t ifr_mtu;
        uint8_t pad[24];
    };
};
_Static_assert(sizeof(struct linux_ifreq) == 40, "struct ifreq");

/* An IPv4 socket address; port and address in network byte order. */
struct linux_sockaddr_in {
    uint16_t sin_family;
    uint16_t sin_port;
    uint32_t sin_addr;
    uint8_t sin_zero[8];
};
_Static_assert(sizeof(struct linux_sockaddr_in) == 16, "struct sockaddr_in");

/* An IPv6 socket address; port and flow label in network byte order. */
struct linux_sockaddr_in6 {
    uint16_t sin6_family;
    uint16_t sin6_port;
    uint32_t sin6_flowinfo;
    uint8_t sin6_addr[16];
    uint32_t sin6_scope_id;
};
_Static_assert(sizeof(struct linux_sockaddr_in6) == 28, "struct sockaddr_in6");

/* struct epoll_event is packed on x86_64. */
struct linux_epoll_event {
    uint32_t events;
    uint64_t data;
} __attribute__((packed));
_Static_assert(sizeof(struct linux_epoll_event) == 12, "struct epoll_event");

/* recvmsg's message header, its I/O vectors (also readv's and writev's)
 * and control messages. */
struct linux_iovec {
    void *iov_base;
    uint64_t iov_len;
};
struct linux_msghdr {
    void *msg_name;
    uint32_t msg_namelen;
    struct linux_iovec *msg_iov;
    uint64_t msg_iovlen;
    void *msg_control;
    uint64_t msg_controllen;
    int32_t msg_flags;
};
_Static_assert(sizeof(struct linux_msghdr) == 56, "struct msghdr");
struct linux_cmsghdr {
    uint64_t cmsg_len; /* header included */
    int32_t cmsg_level;
    int32_t cmsg_type;
};
/* What IP_RECVERR queues: the error, followed by the offender's
 * address. */
struct linux_sock_extended_err {
    uint32_t ee_errno;
    uint8_t ee_origin;
    uint8_t ee_type;
    uint8_t ee_code;
    uint8_t ee_pad;
    uint32_t ee_info;
    uint32_t ee_data;
};

#endif
