/* The seccomp sandbox: the filter that lets the guest make only the
 * system calls of the spt ABI, each restricted by its arguments, and the
 * steps that enter it.
 *
 * Allowed (anything else kills the process with SIGSYS):
 *   write(1, ...)                  the console
 *   exit_group(...)
 *   clock_gettime(CLOCK_MONOTONIC | CLOCK_REALTIME, ...)
 *   arch_prctl(ARCH_SET_FS, ...)
 *   epoll_pwait(epollfd, ...)      yield
 *   timerfd_settime(timerfd, ...)  yield's deadline
 *   read(NETFD, ...), write(NETFD, ...)          each network device
 *   pread64/pwrite64(BLOCKFD, buf, BLOCK_SIZE, OFFSET <= CAPACITY -
 *   BLOCK_SIZE)                                  each block device */
#include <asm/prctl.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
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

static int add_device_rules(scmp_filter_ctx ctx, const struct solo5_mft *mft)
{
    int rc = 0;
    for (unsigned i = 1; i < mft->entries && rc == 0; i++) {
        const struct solo5_mft_entry *e = &mft->e[i];
        uint64_t fd = (uint64_t)e->b.hostfd;
        if (e->type == SOLO5_MFT_DEV_NET_BASIC) {
            rc = ALLOW(ctx, read, SCMP_A0(SCMP_CMP_EQ, fd));
            if (rc == 0)
                rc = ALLOW(ctx, write, SCMP_A0(SCMP_CMP_EQ, fd));
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

static int add_rules(scmp_filter_ctx ctx, const struct spt_guest *g)
{
    int rc = ALLOW(ctx, write, SCMP_A0(SCMP_CMP_EQ, 1));
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
        rc = add_device_rules(ctx, g->mft);
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

/* Close every descriptor but those in keep[0..n) (sorted in place). */
static int close_others(int *keep, unsigned n, char *err)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
            int t = keep[j];
            keep[j] = keep[j - 1];
            keep[j - 1] = t;
        }
    unsigned lo = 0;
    for (unsigned i = 0; i <= n; i++) {
        unsigned hi = i < n ? (unsigned)keep[i] : ~0u;
        if (hi > lo && syscall(SYS_close_range, lo, hi - 1, 0) < 0)
            return tender_errf(err, "close_range: %s", strerror(errno));
        if (i < n)
            lo = (unsigned)keep[i] + 1;
    }
    return 0;
}

int spt_sandbox_enter(const struct spt_guest *g, const struct sock_fprog *prog,
                      char *err)
{
    int keep[SOLO5_MFT_MAX_ENTRIES + 3];
    unsigned n = 0;
    keep[n++] = 1;
    keep[n++] = g->epollfd;
    keep[n++] = g->timerfd;
    for (unsigned i = 1; i < g->mft->entries; i++)
        keep[n++] = g->mft->e[i].b.hostfd;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return tender_errf(err, "no_new_privs: %s", strerror(errno));
    if (close_others(keep, n, err) < 0)
        return -1;
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog, 0, 0) < 0)
        return tender_errf(err, "cannot load the seccomp filter: %s",
                           strerror(errno));
    return 0;
}
