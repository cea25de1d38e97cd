/* Contracts between the files of the unix platform; not a public
 * interface. The platform is a Linux process on raw system calls. */
#ifndef MIRAGE_PLAT_UNIX_H
#define MIRAGE_PLAT_UNIX_H

#include <mirage/plat.h>
#include <stdint.h>

/* Called once at start-up, before anything reads a clock, with the vDSO's
 * ELF header (NULL if the kernel gave none): the clocks then use the
 * vDSO's clock_gettime, or the system call when it has none. */
void unix_clock_init(const void *vdso_ehdr);

/* Install the fault handler (fault.c): the synchronous fault signals are
 * reported in one line, after the runtime's stack overflow report, and
 * end the process with status 255. */
void unix_fault_init(void);
/* Defined in start.S: the restorer of signal handlers (rt_sigreturn). */
void unix_sigreturn(void);
/* Clear the offloads of the acquired taps (net.c), on the way out. */
void unix_net_clear_offloads(void);

/* The table of acquired devices; a handle is an index into it. */
/* UNIX_DEV_SOCKETS is the host sockets' poller (hostsock.c): an epoll
 * descriptor, readable when one of the sockets has an event. */
enum unix_dev_kind {
    UNIX_DEV_FREE,
    UNIX_DEV_NET,
    UNIX_DEV_BLOCK,
    UNIX_DEV_SOCKETS
};
struct unix_dev {
    enum unix_dev_kind kind;
    int fd;
    union {
        struct {
            char ifname[16]; /* the tap interface, NUL-terminated */
            size_t mtu;
            uint32_t offloads; /* PLAT_NET_OFFLOAD_* granted */
        } net;
        struct {
            uint64_t st_dev, st_ino; /* identify the file once acquired */
            struct plat_block_info info;
        } block;
    };
};
extern struct unix_dev unix_devs[PLAT_MAX_DEVICES];

/* A free slot (kind UNIX_DEV_FREE) and its handle, or NULL when all
 * PLAT_MAX_DEVICES are in use. The caller fills it in. */
struct unix_dev *unix_dev_alloc(plat_handle *h);
/* The device behind h if it is acquired and of this kind, else NULL. */
struct unix_dev *unix_dev_get(plat_handle h, enum unix_dev_kind kind);

#endif
