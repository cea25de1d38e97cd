/* mirage-hvt: runs a Solo5 hvt (ABI 2) unikernel image as a KVM guest.
 * The command line is solo5-hvt's; the image is validated completely
 * before anything runs, the devices its manifest declares are attached,
 * and once the VM is set up the tender sandboxes itself with seccomp. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hvt.h"

/* Set in the environment: print the VM exit and hypercall counters on
 * stderr when the guest stops; set to STATS_STEPS, also count the guest's
 * instructions by single-stepping it. */
#define STATS_ENV   "MIRAGE_HVT_STATS"
#define STATS_STEPS "instructions"

/* What --help says after the options. */
static const char help_more[] =
    "\n"
    "Guest memory is rounded down to a multiple of 2 MiB, at most "
    "4096 MiB.\n"
    "A guest that makes a bad hypercall (bad I/O port, argument or "
    "buffer\n"
    "outside its memory, unknown device handle), writes to its "
    "read-only\n"
    "memory or triple-faults is stopped with a message and status "
    "255;\n"
    "a guest that halts after a CPU exception is reported in one line "
    "too.\n"
    "\n"
    "environment:\n"
    "  " STATS_ENV "=1  at exit, print the number of VM exits, of\n"
    "                    hypercalls (by kind) and of network frames and\n"
    "                    bytes on stderr; SIGTERM then stops the guest\n"
    "                    and prints them too (status 143)\n"
    "  " STATS_ENV "=" STATS_STEPS "  also count the guest's "
    "instructions\n"
    "                    (by single-stepping it: very slow)\n";

/* --mem as hvt takes it: rounded down to 2 MiB, 2 MiB .. 4 GiB. */
static uint64_t hvt_mem_size(uint64_t requested)
{
    uint64_t mem = requested & ~(HVT_MEM_ALIGN - 1);
    if (mem < HVT_MEM_ALIGN || mem > HVT_MEM_MAX)
        tender_die("--mem: hvt guests have 2 to 4096 MiB");
    return mem;
}

int main(int argc, char **argv)
{
    tender_name = "mirage-hvt";
    static struct tender_opts opts;
    tender_opts_get(argc, argv, &opts, help_more);
    char err[TENDER_ERR_SIZE];
    uint64_t mem_size = hvt_mem_size(opts.mem_size);

    static struct tender_loaded l;
    tender_load(&opts, SOLO5_ABI_TARGET_HVT, mem_size, HVT_EXT_OFFERED, &l);

    const char *stats = getenv(STATS_ENV);
    struct hvt h = {.elf = &l.elf,
                    .mft = l.mft,
                    .print_stats = stats != NULL,
                    .count_steps = stats && strcmp(stats, STATS_STEPS) == 0};
    if (hvt_core_init(&h, opts.dumpcore, err) < 0 ||
        hvt_vm_create(&h, mem_size, err) < 0)
        tender_die("%s", err);
    tender_elf_load(&l.elf, l.img.data, h.mem, 0);
    h.granted = tender_ext_grant(&l.ext, h.mem + l.ext.record, HVT_EXT_OFFERED,
                                 hvt_net_devices(l.mft), l.net_vhdr);
    if (h.granted & MIRAGE_EXT_NET_VEC)
        h.net_vec = hvt_net_devices(l.mft);
    if (h.granted & MIRAGE_EXT_NET_VHDR)
        memcpy(h.net_vhdr, l.net_vhdr, sizeof h.net_vhdr);
    tender_image_free(&l.img);
    if (hvt_vcpu_setup(&h, &l.elf, l.mft, l.mft_size, opts.cmdline, err) < 0 ||
        hvt_hypercall_init(&h, err) < 0 ||
        (h.count_steps && hvt_vcpu_single_step(&h, err) < 0))
        tender_die("%s", err);
    fflush(stdout);
    if (h.print_stats)
        hvt_run_catch_sigterm();
    if (hvt_sandbox(&h, err) < 0)
        tender_die("%s", err);
    _exit(hvt_run(&h));
}
