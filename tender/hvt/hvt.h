/* Internals of mirage-hvt, the KVM tender for Solo5 hvt (ABI 2) images:
 * the virtual machine, the guest-memory checks, the hypercalls, the run
 * loop and the sandbox. Not a public interface. */
#ifndef MIRAGE_TENDER_HVT_H
#define MIRAGE_TENDER_HVT_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/tender.h"

/* Guest memory: a multiple of 2 MiB, at least 2 MiB, at most 4 GiB. */
#define HVT_MEM_ALIGN ((uint64_t)2 << 20)
#define HVT_MEM_MAX   ((uint64_t)4 << 30)

/* The tender's own structures, below what the guest can see. */
#define HVT_GUEST_MIN 0x10000u /* lowest guest-visible address */
#define HVT_GDT_BASE  0x1000u
#define HVT_PML4_BASE 0x2000u
#define HVT_PDPT_BASE 0x3000u
#define HVT_PD_BASE   0x4000u /* four pages: 4 GiB in 2 MiB pages */
#define HVT_PT_BASE   0x8000u /* 4 KiB pages of the first 2 MiB */

/* Counters, printed at exit when MIRAGE_HVT_STATS is set. */
struct hvt_stats {
    uint64_t exits; /* every return from KVM_RUN but single steps */
    uint64_t steps; /* guest instructions, when single-stepping */
    uint64_t hypercalls[MIRAGE_HVT_HC_MAX]; /* by number; [0] unused */
    uint64_t tx_frames, rx_frames;          /* network frames moved ... */
    uint64_t tx_bytes, rx_bytes;            /* ... and their bytes */
};

struct hvt {
    int kvm, vm, vcpu;   /* descriptors */
    struct kvm_run *run; /* the vCPU's shared page */
    uint8_t *mem;        /* guest address 0 in the tender */
    uint64_t mem_size;
    const struct tender_elf *elf;
    struct solo5_mft *mft;   /* the attached devices (host fds inside) */
    struct pollfd *poll_fds; /* the net devices' fds, for POLL */
    unsigned *poll_handles;  /* their handles */
    unsigned npoll;
    struct hvt_stats stats;
    bool print_stats;
    bool count_steps; /* single-step the guest to count its instructions */
    uint32_t granted; /* MirageC extensions granted to the guest */
    uint64_t net_vec; /* the handles NETV serves (MIRAGE_EXT_NET_VEC) */
    /* MIRAGE_EXT_NET_VHDR, by handle: the offloads the device's tap takes
     * (0: no virtio-net header), and those the guest switched on (0: it
     * moves bare frames). */
    uint8_t net_vhdr[SOLO5_MFT_MAX_ENTRIES];
    uint8_t net_on[SOLO5_MFT_MAX_ENTRIES];
    /* The cookie of a HALT with status 255: trap_len bytes of it (0: none,
     * SOLO5_TRAP_COOKIE_SOLO5_SIZE: Solo5's part, or all of it). */
    struct solo5_hvt_trap_cookie trap;
    size_t trap_len;
    /* --dumpcore: the directory (open, or -1), its name, the descriptor
     * the core file will get, and the tender's pid (for the name). */
    int core_dir, core_fd;
    const char *core_dir_name;
    int pid;
};

/* What mirage-hvt offers images that ask (<mirage/solo5.h>). */
#define HVT_EXT_OFFERED                                                        \
    (MIRAGE_EXT_FAULTS | MIRAGE_EXT_NET_VEC | MIRAGE_EXT_NET_VHDR |            \
     MIRAGE_EXT_NETV_WAIT)

/* ---- The virtual machine (vm.c) ---- */

/* Open /dev/kvm, create the VM, map and register mem_size bytes of guest
 * memory (mem_size already validated: HVT_MEM_ALIGN multiple <= MAX) and
 * create the vCPU. Errors: no usable KVM (message says why). */
int hvt_vm_create(struct hvt *h, uint64_t mem_size, char *err);

/* Make the vCPU stop after every guest instruction (KVM_EXIT_DEBUG), so
 * that the run loop counts them: very slow, for measurements only.
 * Errors: KVM cannot single-step. */
int hvt_vcpu_single_step(struct hvt *h, char *err);

/* Write the tender's GDT and page tables, the boot info, the guest's copy
 * of the manifest (device properties and `attached`, no host
 * descriptors) and the command line; set the vCPU's registers for entry
 * at the ELF entry point; then make the read-only parts of guest memory
 * ([0x10000, 0x100000) and the image's non-writable segments) read-only in
 * the tender too. The image must already be loaded. */
int hvt_vcpu_setup(struct hvt *h, const struct tender_elf *elf,
                   const struct solo5_mft *mft, size_t mft_size,
                   const char *cmdline, char *err);

/* ---- Guest memory checks (guest_mem.c) ---- */

/* The tender's pointer to len bytes at guest address gpa, or NULL unless
 * all of [gpa, gpa + len) (overflow-checked) is guest memory the guest can
 * see (at or above HVT_GUEST_MIN, below mem_size). For data the tender
 * only reads. */
void *hvt_guest_ro(const struct hvt *h, uint64_t gpa, uint64_t len);

/* The same for memory the tender writes on the guest's behalf: also above
 * the tender's read-only area (0x100000) and outside the image's
 * non-writable segments. */
void *hvt_guest_rw(const struct hvt *h, uint64_t gpa, uint64_t len);

/* ---- Hypercalls (hypercall.c) ---- */

/* Outcome of one hypercall. */
enum hvt_hc_result {
    HVT_HC_CONTINUE, /* resume the guest */
    HVT_HC_HALT,     /* the guest halted: *status is its exit status */
    HVT_HC_FAULT,    /* the guest made a bad hypercall: err says why */
};

/* Prepare the hypercalls' state from h->mft (the poll set). Errors: out
 * of memory. */
int hvt_hypercall_init(struct hvt *h, char *err);

/* The handles of the attached network devices (those NETV serves). */
uint64_t hvt_net_devices(const struct solo5_mft *mft);

/* Handle hypercall nr (1 .. MIRAGE_HVT_HC_MAX-1) whose argument struct is
 * at guest address gpa: Solo5's, NETV for the handles in h->net_vec,
 * NET_OFFLOAD for those with a net_vhdr, NETV_WAIT if h->granted has
 * MIRAGE_EXT_NETV_WAIT; any other number is a bad hypercall
 * (HVT_HC_FAULT). May block (POLL, NETV_WAIT). */
enum hvt_hc_result hvt_hypercall(struct hvt *h, unsigned nr, uint64_t gpa,
                                 int *status, char *err);

/* ---- Core files (core.c) ---- */

/* --dumpcore=DIR (dir NULL: no core files): open DIR, check that it is
 * writable, remember the pid. Errors: cannot open, not writable. */
int hvt_core_init(struct hvt *h, const char *dir, char *err);
/* In the sandbox's setup, once the inherited descriptors are closed:
 * note the descriptor the core file will get. */
int hvt_core_reserve_fd(struct hvt *h, char *err);
/* Write DIR/core.mirage-hvt.PID and say so on stderr (or say why not);
 * nothing without --dumpcore. Called once the guest has stopped. */
void hvt_core_dump(struct hvt *h);

/* ---- The run loop (run.c) ---- */

/* Run the guest until it halts or faults; returns the tender's exit
 * status: the guest's (0..255), or 255 after printing why the guest was
 * stopped (a bad hypercall or port, an unexpected VM exit). A HALT with
 * status 255 and a trap cookie is a guest fault: one line "guest fault:
 * EXCEPTION at rip R, address A" on stderr. With --dumpcore, a status of
 * 255 (a fault or an abort) also writes a core file. */
int hvt_run(struct hvt *h);

/* For MIRAGE_HVT_STATS: from now on SIGTERM makes hvt_run return 143 at
 * the next VM exit (after printing the counters) instead of killing the
 * tender. The sandbox then also allows rt_sigreturn. */
void hvt_run_catch_sigterm(void);

/* ---- The sandbox (sandbox.c) ---- */

/* Close every inherited descriptor the run loop does not use, set
 * no-new-privileges, and allow from now on only the system calls the run
 * loop needs, restricted to the VM's, the devices', the standard and the
 * core file's descriptors; anything else kills the process. Errors:
 * prctl, close_range and libseccomp failures. */
int hvt_sandbox(struct hvt *h, char *err);

#endif
