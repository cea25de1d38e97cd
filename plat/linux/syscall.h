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
#define linux_syscall0(n) linux_syscall6(n, 0, 0, 0, 0, 0, 0)
#define linux_syscall1(n, a) linux_syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define linux_syscall2(n, a, b)                                              \
    linux_syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define linux_syscall3(n, a, b, c)                                           \
    linux_syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define linux_syscall4(n, a, b, c, d)                                        \
    linux_syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define linux_syscall5(n, a, b, c, d, e)                                     \
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
    LINUX_SYS_munmap = 11,
    LINUX_SYS_ioctl = 16,
    LINUX_SYS_pread64 = 17,
    LINUX_SYS_pwrite64 = 18,
    LINUX_SYS_socket = 41,
    LINUX_SYS_connect = 42,
    LINUX_SYS_accept = 43,
    LINUX_SYS_sendto = 44,
    LINUX_SYS_recvfrom = 45,
    LINUX_SYS_shutdown = 48,
    LINUX_SYS_bind = 49,
    LINUX_SYS_listen = 50,
    LINUX_SYS_getsockname = 51,
    LINUX_SYS_setsockopt = 54,
    LINUX_SYS_getsockopt = 55,
    LINUX_SYS_fcntl = 72,
    LINUX_SYS_arch_prctl = 158,
    LINUX_SYS_clock_gettime = 228,
    LINUX_SYS_exit_group = 231,
    LINUX_SYS_epoll_ctl = 233,
    LINUX_SYS_openat = 257,
    LINUX_SYS_ppoll = 271,
    LINUX_SYS_timerfd_settime = 286,
    LINUX_SYS_accept4 = 288,
    LINUX_SYS_epoll_pwait = 281,
    LINUX_SYS_getrandom = 318,
};

#define LINUX_ARCH_SET_FS 0x1002
#define LINUX_CLOCK_REALTIME 0
#define LINUX_CLOCK_MONOTONIC 1

struct linux_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

#endif
