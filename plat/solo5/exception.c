/* x86-64 exception names and register formatting (see exception.h). */
#include "exception.h"

#include <stddef.h>

static const char *const names[] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range exceeded",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor segment overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack-segment fault",
    "#GP general protection fault",
    "#PF page fault",
    "reserved exception 15",
    "#MF x87 floating-point error",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD floating-point exception",
    "#VE virtualization exception",
    "#CP control protection exception",
};

const char *solo5_exception_name(uint64_t vector)
{
    return vector < sizeof names / sizeof names[0] ? names[vector]
                                                   : "reserved exception";
}

const char *solo5_hex(uint64_t v, char buf[19])
{
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 17; i >= 2; i--, v >>= 4)
        buf[i] = "0123456789abcdef"[v & 15];
    buf[18] = '\0';
    return buf;
}
