/* The runtime's boot record on the Solo5-style targets (see
 * boot_record.h). */
#include "boot_record.h"
#include "cmdline.h"

#include <mirage/solo5.h>

#define PAGE_SIZE         4096u
#define EXIT_BAD_ARGUMENT 64

static char line[SOLO5_CMDLINE_SIZE];
static char argv0[] = "mirage";
/* Every other byte a one-character word at most, plus argv[0] and NULL. */
static char *argv[SOLO5_CMDLINE_SIZE / 2 + 2];

int solo5_boot_record(const char *cmdline, uint64_t kernel_end,
                      uint64_t mem_size, const char *target,
                      struct plat_boot *b, const char **what, const char **why)
{
    size_t n = 0;
    while (n < SOLO5_CMDLINE_SIZE - 1 && cmdline[n] != '\0') {
        line[n] = cmdline[n];
        n++;
    }
    line[n] = '\0';
    argv[0] = argv0;
    int words = solo5_cmdline_split(line, argv + 1,
                                    (int)(sizeof argv / sizeof argv[0]) - 2);
    if (words < 0) {
        *what = "command line";
        *why = solo5_cmdline_strerror(words);
        return EXIT_BAD_ARGUMENT;
    }
    argv[words + 1] = NULL;
    uint64_t heap = (kernel_end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    if (mem_size < SOLO5_BOOT_STACK_SIZE ||
        heap >= mem_size - SOLO5_BOOT_STACK_SIZE || heap < kernel_end) {
        *what = "memory";
        *why = "no room for the heap";
        return 255;
    }
    b->argc = words + 1;
    b->argv = argv;
    b->heap = (void *)(uintptr_t)heap;
    b->heap_size = mem_size - SOLO5_BOOT_STACK_SIZE - heap;
    b->target = target;
    return 0;
}
