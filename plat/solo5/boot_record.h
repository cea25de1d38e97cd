/* The runtime's boot record on the Solo5-style targets, built from what
 * the tender passed: the command line, split into argv[1..] with
 * shell-like quoting after argv[0] = "mirage" (the ABI carries no image
 * name), and the heap, from the end of the image (page-aligned) up to the
 * boot stack at the top of memory. No allocation; call once at boot. */
#ifndef MIRAGE_PLAT_SOLO5_BOOT_RECORD_H
#define MIRAGE_PLAT_SOLO5_BOOT_RECORD_H

#include <mirage/plat.h>
#include <stdint.h>

/* Bytes kept below mem_size for the boot stack (the event loop's). */
#define SOLO5_BOOT_STACK_SIZE (1024u * 1024u)

/* Fill *b for target from the tender's NUL-terminated cmdline (copied,
 * truncated to SOLO5_CMDLINE_SIZE - 1 bytes) and memory layout. Returns 0,
 * or the exit status the guest must stop with, setting *what and *why to
 * the problem for a "TARGET: WHAT: WHY" line (no newlines): 64 when the
 * command line cannot be split (as for any other bad argument), 255 when
 * there is no room for a heap. */
int solo5_boot_record(const char *cmdline, uint64_t kernel_end,
                      uint64_t mem_size, const char *target,
                      struct plat_boot *b, const char **what, const char **why);

#endif
