/* What the hvt, spt and virtio test guests need from the runtime, which
 * they do without: console printing, string helpers, checks, clock
 * checks, test patterns, the stack-protector failure hook and the
 * guard-page check. */
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

bool guest_prefix(const char *p, const char *s, const char **rest)
{
    while (*p != '\0' && *p == *s) {
        p++;
        s++;
    }
    *rest = s;
    return *p == '\0';
}

int guest_failures;

void guest_check(bool ok, const char *what)
{
    guest_print(ok ? "ok " : "FAILED ");
    guest_print(what);
    guest_print("\n");
    guest_failures += !ok;
}

uint64_t guest_check_clocks(uint64_t sleep_ns)
{
    uint64_t wall = plat_clock_wall();
    /* 2020-01-01 .. 2100-01-01 */
    guest_check(wall > 1577836800ull * 1000000000u &&
                    wall < 4102444800ull * 1000000000u,
                "wall clock plausible");
    uint64_t t0 = plat_clock_monotonic();
    plat_handle_set ready = 1;
    plat_yield(t0 + sleep_ns, &ready);
    uint64_t slept = plat_clock_monotonic() - t0;
    guest_check(ready == 0, "yield without devices reports nothing ready");
    guest_check(slept >= sleep_ns, "yield sleeps until the deadline");
    guest_check(plat_clock_wall() - wall >= sleep_ns,
                "wall clock advances with monotonic");
    return slept;
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
