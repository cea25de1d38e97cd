/* The run loop of mirage-hvt: KVM_RUN until the guest halts; each VM exit
 * is a hypercall (a 32-bit `out` to a hypercall port) or the end of the
 * guest. Everything else the guest can cause (another port, an access
 * outside memory, a triple fault, a write to read-only memory) stops it
 * with a one-line message and status 255, and so does a guest's HALT
 * after a CPU exception (its trap cookie says where). */
#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "hvt.h"

#define EXIT_GUEST_FAULT 255
#define VECTOR_PF        14

/* Report why the guest was stopped, with its instruction pointer when KVM
 * still gives it. */
static int guest_fault(struct hvt *h, const char *why)
{
    struct kvm_regs r;
    if (ioctl(h->vcpu, KVM_GET_REGS, &r) == 0)
        fprintf(stderr, "%s: guest stopped: %s (rip 0x%llx)\n", tender_name,
                why, (unsigned long long)r.rip);
    else
        fprintf(stderr, "%s: guest stopped: %s\n", tender_name, why);
    hvt_core_dump(h);
    return EXIT_GUEST_FAULT;
}

/* The guest halted with status: a fault when it left a trap cookie. */
static int halted(struct hvt *h, int status)
{
    const struct solo5_hvt_trap_cookie *t = &h->trap;
    if (status == EXIT_GUEST_FAULT && h->trap_len > 0) {
        bool ours = h->trap_len == sizeof *t && t->magic == MIRAGE_TRAP_MAGIC;
        if (!ours)
            fprintf(stderr,
                    "%s: guest fault: CPU exception at rip 0x%llx, cr2 "
                    "0x%llx\n",
                    tender_name, (unsigned long long)t->rip,
                    (unsigned long long)t->cr2);
        else if (t->vector == VECTOR_PF)
            fprintf(stderr,
                    "%s: guest fault: %s (error 0x%llx) at rip 0x%llx, "
                    "address 0x%llx\n",
                    tender_name, solo5_x86_exception_name(t->vector),
                    (unsigned long long)t->error, (unsigned long long)t->rip,
                    (unsigned long long)t->cr2);
        else
            fprintf(stderr,
                    "%s: guest fault: %s (error 0x%llx) at rip 0x%llx\n",
                    tender_name, solo5_x86_exception_name(t->vector),
                    (unsigned long long)t->error, (unsigned long long)t->rip);
    }
    if (status == EXIT_GUEST_FAULT)
        hvt_core_dump(h);
    return status;
}

/* A triple fault: the guest could not even report its exception. */
static int triple_fault(struct hvt *h)
{
    struct kvm_sregs s;
    char why[64] = "triple fault";
    if (ioctl(h->vcpu, KVM_GET_SREGS, &s) == 0)
        snprintf(why, sizeof why, "triple fault, cr2 0x%llx",
                 (unsigned long long)s.cr2);
    return guest_fault(h, why);
}

/* The hypercall an I/O exit makes, or -1 with a message in err. */
static int io_exit(struct hvt *h, int *status, char *err)
{
    struct kvm_run *run = h->run;
    unsigned port = run->io.port;
    if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 ||
        run->io.count != 1 || port <= SOLO5_HVT_PIO_BASE ||
        port >= SOLO5_HVT_PIO_BASE + MIRAGE_HVT_HC_MAX) {
        tender_errf(err, "bad hypercall: %s of %u byte(s) at I/O port 0x%x",
                    run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in",
                    (unsigned)run->io.size, port);
        return -1;
    }
    uint32_t gpa;
    memcpy(&gpa, (uint8_t *)run + run->io.data_offset, sizeof(gpa));
    switch (hvt_hypercall(h, port - SOLO5_HVT_PIO_BASE, gpa, status, err)) {
    case HVT_HC_CONTINUE:
        return 0;
    case HVT_HC_HALT:
        return 1;
    default:
        return -1;
    }
}

static void print_stats(const struct hvt *h)
{
    const struct hvt_stats *s = &h->stats;
    uint64_t total = 0;
    for (unsigned i = 1; i < MIRAGE_HVT_HC_MAX; i++)
        total += s->hypercalls[i];
    fprintf(stderr,
            "%s: stats: vm_exits %" PRIu64 " hypercalls %" PRIu64
            " (walltime %" PRIu64 " puts %" PRIu64 " poll %" PRIu64
            " block_write %" PRIu64 " block_read %" PRIu64 " net_write %" PRIu64
            " net_read %" PRIu64 " netv %" PRIu64 " netv_wait %" PRIu64
            " halt %" PRIu64 ")\n",
            tender_name, s->exits, total, s->hypercalls[SOLO5_HVT_HC_WALLTIME],
            s->hypercalls[SOLO5_HVT_HC_PUTS], s->hypercalls[SOLO5_HVT_HC_POLL],
            s->hypercalls[SOLO5_HVT_HC_BLOCK_WRITE],
            s->hypercalls[SOLO5_HVT_HC_BLOCK_READ],
            s->hypercalls[SOLO5_HVT_HC_NET_WRITE],
            s->hypercalls[SOLO5_HVT_HC_NET_READ],
            s->hypercalls[MIRAGE_HVT_HC_NETV],
            s->hypercalls[MIRAGE_HVT_HC_NETV_WAIT],
            s->hypercalls[SOLO5_HVT_HC_HALT]);
    fprintf(stderr,
            "%s: stats: frames sent %" PRIu64 " received %" PRIu64
            " bytes sent %" PRIu64 " received %" PRIu64 "\n",
            tender_name, s->tx_frames, s->rx_frames, s->tx_bytes, s->rx_bytes);
    if (h->count_steps)
        fprintf(stderr, "%s: stats: guest instructions %" PRIu64 "\n",
                tender_name, s->steps);
}

/* With MIRAGE_HVT_STATS, SIGTERM stops the guest between two exits (the
 * run loop sees the flag once KVM_RUN or the ppoll of POLL or NETV_WAIT is
 * interrupted), so that a guest that serves forever still gets its
 * counters printed. */
static volatile sig_atomic_t terminated;

static void on_sigterm(int sig)
{
    terminated = sig;
}

void hvt_run_catch_sigterm(void)
{
    struct sigaction sa = {.sa_handler = on_sigterm}; /* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
}

static int run_until_stop(struct hvt *h)
{
    char err[TENDER_ERR_SIZE];
    for (;;) {
        if (terminated)
            return 128 + terminated;
        if (ioctl(h->vcpu, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            if (errno == EFAULT)
                return guest_fault(h, "write to read-only guest memory");
            snprintf(err, sizeof(err), "KVM_RUN failed: %s", strerror(errno));
            return guest_fault(h, err);
        }
        struct kvm_run *run = h->run;
        if (run->exit_reason == KVM_EXIT_DEBUG && h->count_steps) {
            h->stats.steps++;
            continue;
        }
        h->stats.exits++;
        int status = 0, r;
        switch (run->exit_reason) {
        case KVM_EXIT_IO:
            r = io_exit(h, &status, err);
            if (r < 0)
                return guest_fault(h, err);
            if (r > 0)
                return halted(h, status);
            break;
        case KVM_EXIT_HLT:
            return guest_fault(h, "hlt instruction");
        case KVM_EXIT_SHUTDOWN:
            return triple_fault(h);
        case KVM_EXIT_MMIO:
            /* Inside memory, only a write to a page the tender keeps
             * read-only exits here. */
            if (run->mmio.phys_addr < h->mem_size)
                snprintf(err, sizeof(err),
                         "write to read-only guest memory at 0x%llx",
                         (unsigned long long)run->mmio.phys_addr);
            else
                snprintf(err, sizeof(err), "%s outside guest memory at 0x%llx",
                         run->mmio.is_write ? "write" : "read",
                         (unsigned long long)run->mmio.phys_addr);
            return guest_fault(h, err);
        case KVM_EXIT_FAIL_ENTRY:
            snprintf(err, sizeof(err), "VM entry failed (reason 0x%llx)",
                     (unsigned long long)
                         run->fail_entry.hardware_entry_failure_reason);
            return guest_fault(h, err);
        case KVM_EXIT_INTERNAL_ERROR:
            snprintf(err, sizeof(err), "KVM internal error %u",
                     run->internal.suberror);
            return guest_fault(h, err);
        default:
            snprintf(err, sizeof(err), "unexpected VM exit %u",
                     run->exit_reason);
            return guest_fault(h, err);
        }
    }
}

int hvt_run(struct hvt *h)
{
    int status = run_until_stop(h);
    if (h->print_stats)
        print_stats(h);
    return status;
}
