/* What the hvt and spt test guests need from the runtime, which they do
 * without: console printing, string helpers, checks, test patterns, the
 * stack-protector failure hook and the guard-page check. */
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

int guest_failures;

void guest_check(bool ok, const char *what)
{
    guest_print(ok ? "ok " : "FAILED ");
    guest_print(what);
    guest_print("\n");
    guest_failures += !ok;
}

void guest_fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + i * 13);
}

bool guest_same(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
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
