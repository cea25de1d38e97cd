/* Test-only stand-ins for the platform calls the libc sources make: the
 * console goes to a buffer, plat_exit and plat_abort jump back into
 * run_stopping(), the wall clock is a variable. */
#include "libc_t.h"

#include <mirage/plat.h>
#include <setjmp.h>
#include <string.h>

char console_out[65536];
size_t console_len;
int console_writes;
uint64_t wall_clock_ns;
static jmp_buf *stop_jump;
static int stop_status;

void console_reset(void)
{
    console_len = 0;
    console_writes = 0;
    console_out[0] = '\0';
}

void plat_console_write(const char *buf, size_t len)
{
    size_t room = sizeof console_out - 1 - console_len;
    size_t n = len < room ? len : room;
    memcpy(console_out + console_len, buf, n);
    console_len += n;
    console_out[console_len] = '\0';
    console_writes++;
}

uint64_t plat_clock_wall(void)
{
    return wall_clock_ns;
}

_Noreturn void plat_exit(int status)
{
    stop_status = status;
    longjmp(*stop_jump, 1);
}

_Noreturn void plat_abort(void)
{
    stop_status = STOP_ABORT;
    longjmp(*stop_jump, 1);
}

int run_stopping(void (*fn)(void))
{
    jmp_buf here;
    stop_jump = &here;
    if (setjmp(here) == 0) {
        fn();
        stop_status = STOP_RETURNED;
    }
    stop_jump = NULL;
    return stop_status;
}
