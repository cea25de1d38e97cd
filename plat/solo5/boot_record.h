/* The runtime's boot on the Solo5-style targets, from what the tender
 * passed: the manifest (plat/solo5/manifest.h), the command line, split
 * into argv[1..] with shell-like quoting after argv[0] = "mirage" (the ABI
 * carries no image name), and the heap, from the end of the image
 * (page-aligned) up to the boot stack at the top of memory, recorded in
 * the struct plat_boot handed to mirage_rt_boot, with the page just below
 * the boot stack made a guard page where the target can. No allocation. */
#ifndef MIRAGE_PLAT_SOLO5_BOOT_RECORD_H
#define MIRAGE_PLAT_SOLO5_BOOT_RECORD_H

#include <mirage/plat.h>
#include <mirage/solo5.h>
#include <stdint.h>

/* Bytes kept below mem_size for the boot stack (the event loop's); the
 * page below them is its guard page, not heap. The loop runs the ready
 * callbacks (a received frame is processed to the end on it) but no
 * application code, which has fiber stacks of its own: 128 KiB is several
 * times its deepest path and lets a 2 MiB guest keep most of its memory
 * for the heap. */
#define SOLO5_BOOT_STACK_SIZE (128u * 1024u)

/* Record the tender's manifest (borrowed, as solo5_mft_init), build the
 * boot record for target from the tender's NUL-terminated cmdline (copied,
 * truncated to SOLO5_CMDLINE_SIZE - 1 bytes) and memory layout, and run
 * the runtime with it. If there is no record to build, write a
 * "TARGET: WHAT: WHY" line and plat_exit: with status 64 when the command
 * line cannot be split (as for any other bad argument), 255 when there is
 * no room for a heap. Call once at boot, with the thread pointer set;
 * never returns. */
_Noreturn void solo5_boot(const char *target, const struct solo5_mft *mft,
                          const char *cmdline, uint64_t kernel_end,
                          uint64_t mem_size);

#endif
