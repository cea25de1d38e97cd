/* The parts of mirage-spt: the guest's address space and boot record
 * (guest.c), the fault handler (fault.c) and the sandbox that confines it
 * (sandbox.c). */
#ifndef MIRAGE_TENDER_SPT_H
#define MIRAGE_TENDER_SPT_H

#include <linux/filter.h>
#include <stdint.h>

#include "../common/tender.h"

/* The guest's memory starts here; below it the kernel keeps
 * vm.mmap_min_addr. The boot record sits at SOLO5_SPT_BOOT_INFO_BASE. */
#define SPT_MEM_BASE 0x10000u
/* Epoll data of the timer descriptor (nets use their handle). */
#define SPT_TIMER_EVENT 0xfffffffeu

/* What the guest is given besides its memory. */
struct spt_guest {
    uint64_t mem_size;
    uint64_t entry;
    uint64_t boot_info; /* guest address of the boot record */
    int epollfd, timerfd;
    const struct solo5_mft *mft; /* the attached manifest */
    uint64_t ext_record;         /* the image's struct mirage_ext, or 0 */
    uint32_t granted;            /* MIRAGE_EXT_* granted to the guest */
    /* MIRAGE_EXT_NET_VHDR, by handle: the offloads the device's tap takes
     * (0: no virtio-net header). */
    uint8_t net_vhdr[SOLO5_MFT_MAX_ENTRIES];
};

/* What mirage-spt offers images that ask (<mirage/solo5.h>). */
#define SPT_EXT_OFFERED                                                        \
    (MIRAGE_EXT_FAULTS | MIRAGE_EXT_SPT_GUARD | MIRAGE_EXT_NET_VHDR)

/* Map guest memory [SPT_MEM_BASE, mem_size) at the same addresses in this
 * process, load the image, write the boot record (boot info, manifest
 * copy, command line), grant the extensions the image asks for (ext)
 * among SPT_EXT_OFFERED (net_vhdr: each device's offloads, by handle), protect
 * the segments and the boot record, create the epoll and timer descriptors and
 * register the timer and the network devices. Fills *g. Errors: the range is
 * taken (the tender would overlap its guest), mmap/mprotect/epoll/timerfd
 * failures. */
int spt_guest_setup(const struct tender_elf *elf, const uint8_t *image,
                    const struct tender_ext *ext, const uint8_t *net_vhdr,
                    const struct solo5_mft *mft, size_t mft_size,
                    const char *cmdline, uint64_t mem_size, struct spt_guest *g,
                    char *err);

/* Install the fault handler (fault.c) on a stack of its own: a guest fault
 * signal calls the guest's fault hook if g was granted MIRAGE_EXT_FAULTS
 * and the guest registered one, prints a one-line report on stderr and
 * exits with status 255. Errors: mmap, sigaltstack, sigaction. */
int spt_fault_init(const struct spt_guest *g, char *err);

/* Build the seccomp filter for this guest (see sandbox.c for the rules)
 * as a BPF program in a malloc'd buffer owned by *prog, so that nothing
 * allocates once it is loaded. */
int spt_filter_build(const struct spt_guest *g, struct sock_fprog *prog,
                     char *err);

/* Set no-new-privileges, close every descriptor but stdout, stderr and
 * the guest's, and load prog. Nothing may run after it but the jump to
 * the guest. */
int spt_sandbox_enter(const struct spt_guest *g, const struct sock_fprog *prog,
                      char *err);

#endif
