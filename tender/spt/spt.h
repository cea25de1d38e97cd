/* The parts of mirage-spt: the guest's address space and boot record
 * (guest.c) and the sandbox that confines it (sandbox.c). */
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
};

/* Map guest memory [SPT_MEM_BASE, mem_size) at the same addresses in this
 * process, load the image, write the boot record (boot info, manifest
 * copy, command line), protect the segments and the boot record, create
 * the epoll and timer descriptors and register the timer and the network
 * devices. Fills *g. Errors: the range is taken (the tender would overlap
 * its guest), mmap/mprotect/epoll/timerfd failures. */
int spt_guest_setup(const struct tender_elf *elf, const uint8_t *image,
                    const struct solo5_mft *mft, size_t mft_size,
                    const char *cmdline, uint64_t mem_size, struct spt_guest *g,
                    char *err);

/* Build the seccomp filter for this guest (see sandbox.c for the rules)
 * as a BPF program in a malloc'd buffer owned by *prog, so that nothing
 * allocates once it is loaded. */
int spt_filter_build(const struct spt_guest *g, struct sock_fprog *prog,
                     char *err);

/* Set no-new-privileges, close every descriptor but 1 and the guest's
 * (stderr too: a failure after that exits with status 1 and no message)
 * and load prog. Nothing may run after it but the jump to the guest. */
int spt_sandbox_enter(const struct spt_guest *g, const struct sock_fprog *prog,
                      char *err);

#endif
