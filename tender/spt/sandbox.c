/* The seccomp sandbox: the filter that lets the guest make only the
 * system calls of the spt ABI, each restricted by its arguments, and the
 * steps that enter it.
 *
 * Allowed (anything else kills the process with SIGSYS):
 *   write(1, ...)                  the console
 *   write(2, ...)                  the tender's fault report
 *   exit_group(...)
 *   clock_gettime(CLOCK_MONOTONIC | CLOCK_REALTIME, ...)
 *   arch_prctl(ARCH_SET_FS, ...)
 *   epoll_pwait(epollfd, ...)      yield
 *   timerfd_settime(timerfd, ...)  yield's deadline
 *   read(NETFD, ...), write(NETFD, buf, LEN <= MTU + 14)  each network device
 *   with MIRAGE_EXT_NET_VHDR, on a device whose tap has the header:
 *     write(NETFD, buf, LEN <= 12 + the largest frame of its offloads),
 *     readv/writev(NETFD, iov, 2)  the header in an iovec of its own,
 *     ioctl(NETFD, TUNSETOFFLOAD, S)  S a subset of its offloads
 *   pread64/pwrite64(BLOCKFD, buf, BLOCK_SIZE, OFFSET <= CAPACITY -
 *   BLOCK_SIZE)                                  each block device
 *   mprotect(PAGE < 2^k, 4096, PROT_NONE or PROT_READ | PROT_WRITE)
 *                                  guard pages, if MIRAGE_EXT_SPT_GUARD
 *                                  was granted (2^k: guest memory's size
 *                                  rounded up to a power of two)
 * Two comparisons of one argument cannot be expressed (libseccomp), so
 * block offsets are bounded but not checked for alignment (an unaligned
 * offset stays inside the guest's own file), and mprotect's address is
 * bounded above only: at worst the guest makes its own pages
 * inaccessible or read-write, never executable. */
#include <asm/prctl.h>
#include <errno.h>
#include <linux/if_tun.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "spt.h"

#define ALLOW(ctx, call, ...)                                                  \
    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(call),                      \
                     (unsigned)(sizeof((struct scmp_arg_cmp[]){__VA_ARGS__}) / \
                                sizeof(struct scmp_arg_cmp)),                  \
                     __VA_ARGS__)

/* A tap with a virtio-net header taking offloads: the header in an
 * iovec of its own, and switching the offloads. */
static int add_vhdr_rules(scmp_filter_ctx ctx, uint64_t fd, uint8_t offloads)
{
    int rc =
        ALLOW(ctx, readv, SCMP_A0(SCMP_CMP_EQ, fd), SCMP_A2(SCMP_CMP_EQ, 2));
    if (rc == 0)
        rc = ALLOW(ctx, writev, SCMP_A0(SCMP_CMP_EQ, fd),
                   SCMP_A2(SCMP_CMP_EQ, 2));
    if (rc == 0)
        rc = ALLOW(ctx, ioctl, SCMP_A0(SCMP_CMP_EQ, fd),
                   SCMP_A1(SCMP_CMP_EQ, TUNSETOFFLOAD),
                   SCMP_A2(SCMP_CMP_MASKED_EQ, ~(uint64_t)offloads, 0));
    return rc;
}

static int add_device_rules(scmp_filter_ctx ctx, const struct spt_guest *g)
{
    const struct solo5_mft *mft = g->mft;
    int rc = 0;
    for (unsigned i = 1; i < mft->entries && rc == 0; i++) {
        const struct solo5_mft_entry *e = &mft->e[i];
        uint64_t fd = (uint64_t)e->b.hostfd;
        if (e->type == SOLO5_MFT_DEV_NET_BASIC) {
            uint64_t frame =
                mirage_net_frame_max(e->u.net_basic.mtu, g->net_vhdr[i]);
            rc = ALLOW(ctx, read, SCMP_A0(SCMP_CMP_EQ, fd));
            if (rc == 0)
                rc = ALLOW(ctx, write, SCMP_A0(SCMP_CMP_EQ, fd),
                           SCMP_A2(SCMP_CMP_LE, frame));
            if (rc == 0 && g->net_vhdr[i] != 0)
                rc = add_vhdr_rules(ctx, fd, g->net_vhdr[i]);
        } else {
            uint64_t bs = e->u.block_basic.block_size;
            uint64_t last = e->u.block_basic.capacity - bs;
            rc = ALLOW(ctx, pread64, SCMP_A0(SCMP_CMP_EQ, fd),
                       SCMP_A2(SCMP_CMP_EQ, bs), SCMP_A3(SCMP_CMP_LE, last));
            if (rc == 0)
                rc =
                    ALLOW(ctx, pwrite64, SCMP_A0(SCMP_CMP_EQ, fd),
                          SCMP_A2(SCMP_CMP_EQ, bs), SCMP_A3(SCMP_CMP_LE, last));
        }
    }
    return rc;
}

/* mprotect of one page below the power of two covering guest memory. */
static int add_guard_rules(scmp_filter_ctx ctx, const struct spt_guest *g)
{
    uint64_t span = 1;
    while (span < g->mem_size)
        span <<= 1;
    int rc = 0;
    const uint64_t prots[] = {PROT_NONE, PROT_READ | PROT_WRITE};
    for (unsigned i = 0; i < 2 && rc == 0; i++)
        rc = ALLOW(ctx, mprotect, SCMP_A0(SCMP_CMP_MASKED_EQ, ~(span - 1), 0),
                   SCMP_A1(SCMP_CMP_EQ, 4096), SCMP_A2(SCMP_CMP_EQ, prots[i]));
    return rc;
}

static int add_rules(scmp_filter_ctx ctx, const struct spt_guest *g)
{
    int rc = ALLOW(ctx, write, SCMP_A0(SCMP_CMP_EQ, 1));
    if (rc == 0)
        rc = ALLOW(ctx, write, SCMP_A0(SCMP_CMP_EQ, 2));
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0);
    if (rc == 0)
        rc = ALLOW(ctx, clock_gettime, SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC));
    if (rc == 0)
        rc = ALLOW(ctx, clock_gettime, SCMP_A0(SCMP_CMP_EQ, CLOCK_REALTIME));
    if (rc == 0)
        rc = ALLOW(ctx, arch_prctl, SCMP_A0(SCMP_CMP_EQ, ARCH_SET_FS));
    if (rc == 0)
        rc =
            ALLOW(ctx, epoll_pwait, SCMP_A0(SCMP_CMP_EQ, (uint64_t)g->epollfd));
    if (rc == 0)
        rc = ALLOW(ctx, timerfd_settime,
                   SCMP_A0(SCMP_CMP_EQ, (uint64_t)g->timerfd));
    if (rc == 0)
        rc = add_device_rules(ctx, g);
    if (rc == 0 && (g->granted & MIRAGE_EXT_SPT_GUARD))
        rc = add_guard_rules(ctx, g);
    return rc;
}

/* Export the filter's BPF through a memory file into a malloc'd buffer. */
static int export(scmp_filter_ctx ctx, struct sock_fprog *prog, char *err)
{
    int fd = memfd_create("spt-filter", MFD_CLOEXEC);
    if (fd < 0)
        return tender_errf(err, "memfd_create: %s", strerror(errno));
    int rc = seccomp_export_bpf(ctx, fd);
    off_t size = lseek(fd, 0, SEEK_END);
    if (rc != 0 || size <= 0 || size % sizeof(struct sock_filter) != 0 ||
        size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
        close(fd);
        return tender_errf(err, "cannot export the seccomp filter");
    }
    struct sock_filter *insns = malloc((size_t)size);
    if (!insns || pread(fd, insns, (size_t)size, 0) != size) {
        free(insns);
        close(fd);
        return tender_errf(err, "cannot read the seccomp filter back");
    }
    close(fd);
    prog->filter = insns;
    prog->len = (unsigned short)(size / sizeof(struct sock_filter));
    return 0;
}

int spt_filter_build(const struct spt_guest *g, struct sock_fprog *prog,
                     char *err)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (!ctx)
        return tender_errf(err, "seccomp_init failed");
    int rc = add_rules(ctx, g);
    if (rc != 0) {
        seccomp_release(ctx);
        return tender_errf(err, "cannot build the seccomp filter: %s",
                           strerror(-rc));
    }
    rc = export(ctx, prog, err);
    seccomp_release(ctx);
    return rc;
}

int spt_sandbox_enter(const struct spt_guest *g, const struct sock_fprog *prog,
                      char *err)
{
    int keep[SOLO5_MFT_MAX_ENTRIES + 4];
    unsigned n = 0;
    keep[n++] = 1;
    keep[n++] = 2;
    keep[n++] = g->epollfd;
    keep[n++] = g->timerfd;
    for (unsigned i = 1; i < g->mft->entries; i++)
        keep[n++] = g->mft->e[i].b.hostfd;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return tender_errf(err, "no_new_privs: %s", strerror(errno));
    if (tender_close_fds_except(keep, n, err) < 0)
        return -1;
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog, 0, 0) < 0)
        return tender_errf(err, "cannot load the seccomp filter: %s",
                           strerror(errno));
    return 0;
}
