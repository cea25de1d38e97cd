/* Boot: the runtime's entry from the platform. Sets up the heap, runs the
 * generated mirage_app_main() as the main fiber, waits while services
 * (TCP listeners) hold the unikernel after a successful start (fiber.h:
 * mirage_hold), runs the exit hooks (mirage_at_exit) and exits with its
 * result. */
#include "internal.h"

#include <mirage/plat.h>
#include <mirage/rt.h>
#include <string.h>

static int boot_argc;
static char **boot_argv;
static const char *boot_target = "unknown";

const char *mirage_target(void)
{
    return boot_target;
}

static int app_main(void *arg)
{
    (void)arg;
    int status = mirage_app_main(boot_argc, boot_argv);
    if (status == 0)
        rt_wait_released();
    rt_run_at_exit();
    return status;
}

void mirage_rt_boot(const struct plat_boot *boot)
{
    rt_heap_init(boot->heap, boot->heap_size);
    rt_boot_stack_guard(boot->boot_stack_guard);
    boot_argc = boot->argc;
    boot_argv = boot->argv;
    if (boot->target)
        boot_target = boot->target;
    int status = rt_run_main(app_main, NULL);
    rt_stdio_flush();
    /* Statuses outside 0..255 are truncated as POSIX exit() does. */
    plat_exit(status & 0xff);
}
