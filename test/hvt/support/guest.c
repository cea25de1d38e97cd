/* What the hvt test guests need from the runtime, which they do without:
 * the stack-protector failure hook and a console print helper. */
#include "guest.h"

#include <mirage/plat.h>

void guest_print(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    plat_console_write(s, n);
}

_Noreturn void __stack_chk_fail(void);

_Noreturn void __stack_chk_fail(void)
{
    guest_print("guest: stack smashing detected\n");
    plat_abort();
}

/* The runtime's guard-page check, which the platform's fault handler
 * calls: the test guests have no fibers. */
bool mirage_rt_stack_fault(uint64_t addr)
{
    (void)addr;
    return false;
}
