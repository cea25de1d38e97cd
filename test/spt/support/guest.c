/* What the spt test guests need from the runtime, which they do without:
 * console printing, string helpers and the stack-protector failure hook. */
#include "guest.h"

#include <mirage/plat.h>

void guest_print(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    plat_console_write(s, n);
}

void guest_print_u64(uint64_t v)
{
    char buf[21];
    int i = sizeof buf;
    buf[--i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    guest_print(buf + i);
}

bool guest_streq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

uint64_t guest_atou(const char *s)
{
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (uint64_t)(*s - '0');
    return *s ? 0 : v;
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
