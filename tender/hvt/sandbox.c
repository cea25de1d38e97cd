/* The sandbox mirage-hvt enters once the VM is set up: every descriptor
 * but the standard output and error, the VM's and the devices' is closed,
 * no-new-privileges is set, and the seccomp filter lets the tender only
 * run the vCPU and read its registers, serve hypercalls on the devices'
 * descriptors, write to stdout and stderr, and exit; with --dumpcore,
 * also create one file in the core directory and write it. Anything else
 * kills the process (SIGSYS). */
#include <errno.h>
#include <linux/if_tun.h>
#include <linux/kvm.h>
#include <seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "hvt.h"

#define ALLOW(ctx, call, ...)                                                  \
    seccomp_rule_add((ctx), SCMP_ACT_ALLOW, SCMP_SYS(call), __VA_ARGS__)

static int allow_on_fd(scmp_filter_ctx ctx, int call, int fd)
{
    return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, call, 1,
                            SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd));
}

/* Keep the first failure of a sequence of libseccomp calls. */
static void first_error(int *r, int v)
{
    if (*r == 0)
        *r = v;
}

/* A tap with a virtio-net header (MIRAGE_EXT_NET_VHDR): readv and writev
 * of two iovecs (the header added or dropped for a guest moving bare
 * frames) and TUNSETOFFLOAD to a subset of its offloads. */
static int allow_vhdr(scmp_filter_ctx ctx, int fd, uint8_t offloads)
{
    int r = 0;
    first_error(&r, ALLOW(ctx, readv, 2, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd),
                          SCMP_A2(SCMP_CMP_EQ, 2)));
    first_error(&r,
                ALLOW(ctx, writev, 2, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd),
                      SCMP_A2(SCMP_CMP_EQ, 2)));
    first_error(&r,
                ALLOW(ctx, ioctl, 3, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd),
                      SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)TUNSETOFFLOAD),
                      SCMP_A2(SCMP_CMP_MASKED_EQ, ~(scmp_datum_t)offloads, 0)));
    return r;
}

static int add_rules(scmp_filter_ctx ctx, const struct hvt *h)
{
    int r = 0;
    first_error(&r, ALLOW(ctx, ioctl, 2,
                          SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)h->vcpu),
                          SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)KVM_RUN)));
    first_error(&r, ALLOW(ctx, ioctl, 2,
                          SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)h->vcpu),
                          SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)KVM_GET_REGS)));
    first_error(&r, ALLOW(ctx, ioctl, 2,
                          SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)h->vcpu),
                          SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)KVM_GET_SREGS)));
    if (h->core_dir >= 0) {
        first_error(&r, allow_on_fd(ctx, SCMP_SYS(openat), h->core_dir));
        first_error(&r, allow_on_fd(ctx, SCMP_SYS(pwrite64), h->core_fd));
        first_error(&r, allow_on_fd(ctx, SCMP_SYS(ftruncate), h->core_fd));
    }
    first_error(&r, allow_on_fd(ctx, SCMP_SYS(write), STDOUT_FILENO));
    first_error(&r, allow_on_fd(ctx, SCMP_SYS(write), STDERR_FILENO));
    for (uint32_t i = 1; i < h->mft->entries; i++) {
        const struct solo5_mft_entry *e = &h->mft->e[i];
        if (e->type == SOLO5_MFT_DEV_NET_BASIC) {
            first_error(&r, allow_on_fd(ctx, SCMP_SYS(read), e->b.hostfd));
            first_error(&r, allow_on_fd(ctx, SCMP_SYS(write), e->b.hostfd));
            if (h->net_vhdr[i] != 0)
                first_error(&r, allow_vhdr(ctx, e->b.hostfd, h->net_vhdr[i]));
        } else {
            first_error(&r, allow_on_fd(ctx, SCMP_SYS(pread64), e->b.hostfd));
            first_error(&r, allow_on_fd(ctx, SCMP_SYS(pwrite64), e->b.hostfd));
        }
    }
    first_error(&r, ALLOW(ctx, ppoll, 0));
    first_error(&r, ALLOW(ctx, clock_gettime, 1,
                          SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)CLOCK_REALTIME)));
    first_error(&r, ALLOW(ctx, restart_syscall, 0));
    if (h->print_stats) /* hvt_run_catch_sigterm's handler returns */
        first_error(&r, ALLOW(ctx, rt_sigreturn, 0));
    first_error(&r, ALLOW(ctx, exit_group, 0));
    return r;
}

/* Keep only what the run loop uses. */
static int close_inherited(const struct hvt *h, char *err)
{
    int keep[SOLO5_MFT_MAX_ENTRIES + 6];
    unsigned n = 0;
    keep[n++] = STDOUT_FILENO;
    keep[n++] = STDERR_FILENO;
    keep[n++] = h->vm;
    keep[n++] = h->vcpu;
    if (h->core_dir >= 0)
        keep[n++] = h->core_dir;
    for (uint32_t i = 1; i < h->mft->entries; i++)
        keep[n++] = h->mft->e[i].b.hostfd;
    return tender_close_fds_except(keep, n, err);
}

int hvt_sandbox(struct hvt *h, char *err)
{
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return tender_errf(err, "no_new_privs: %s", strerror(errno));
    if (close_inherited(h, err) < 0 || hvt_core_reserve_fd(h, err) < 0)
        return -1;
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (ctx == NULL)
        return tender_errf(err, "seccomp_init failed");
    int r = add_rules(ctx, h);
    if (r == 0)
        r = seccomp_load(ctx);
    seccomp_release(ctx);
    if (r != 0)
        return tender_errf(err, "cannot install the seccomp filter: %s",
                           strerror(r < 0 ? -r : r));
    return 0;
}
