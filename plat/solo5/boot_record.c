/* The runtime's boot on the Solo5-style targets (see boot_record.h). */
#include "boot_record.h"
#include "cmdline.h"
#include "manifest.h"
#include "say.h"

#define PAGE_SIZE         4096u
#define EXIT_BAD_ARGUMENT 64

static char line[SOLO5_CMDLINE_SIZE];
static char argv0[] = "mirage";
/* Every other byte a one-character word at most, plus argv[0] and NULL. */
static char *argv[SOLO5_CMDLINE_SIZE / 2 + 2];

/* Fill *b for target; returns 0, or the exit status the guest must stop
 * with, setting *what and *why to the problem (no newlines). */
static int boot_record(const char *cmdline, uint64_t kernel_end,
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
    uint64_t reserved = SOLO5_BOOT_STACK_SIZE + PAGE_SIZE; /* and its guard */
    if (mem_size < reserved || heap >= mem_size - reserved ||
        heap < kernel_end) {
        *what = "memory";
        *why = "no room for the heap";
        return 255;
    }
    b->argc = words + 1;
    b->argv = argv;
    b->heap = (void *)(uintptr_t)heap;
    b->heap_size = mem_size - reserved - heap;
    b->target = target;
    void *guard = (void *)(uintptr_t)(mem_size - reserved);
    b->boot_stack_guard =
        plat_stack_guard(guard, true) == PLAT_OK ? guard : NULL;
    return 0;
}

_Noreturn void solo5_boot(const char *target, const struct solo5_mft *mft,
                          const char *cmdline, uint64_t kernel_end,
                          uint64_t mem_size)
{
    solo5_mft_init(mft);
    struct plat_boot b;
    const char *what, *why;
    int status =
        boot_record(cmdline, kernel_end, mem_size, target, &b, &what, &why);
    if (status != 0) {
        solo5_say(target, ": ", what, ": ", why, "\n", NULL);
        plat_exit(status);
    }
    mirage_rt_boot(&b);
}
