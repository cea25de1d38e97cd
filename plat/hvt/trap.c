/* Reporting a CPU exception in the hvt guest: its name, error code, RIP
 * and CR2 on the console, then a halt with status 255 whose cookie holds
 * the registers (so a tender may dump them). */
#include "../solo5/say.h"
#include "hvt.h"

#include <stdbool.h>
#include <stddef.h>

/* What trap_entry.S pushed, lowest address first. */
struct hvt_trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* The halt cookie after a trap: the registers a tender may report. */
struct hvt_trap_cookie {
    uint64_t cr2, error, rip, cs, rflags, rsp, ss;
    uint8_t unused[SOLO5_HVT_HALT_COOKIE_MAX - 7 * 8];
};

static const char *const names[32] = {
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

/* Formats v as 0x followed by 16 hex digits into buf (19 bytes). */
static const char *hex(uint64_t v, char buf[19])
{
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 17; i >= 2; i--, v >>= 4)
        buf[i] = "0123456789abcdef"[v & 15];
    buf[18] = '\0';
    return buf;
}

void hvt_trap(struct hvt_trap_frame *f);

/* No canary here: a broken thread pointer may be what trapped. An
 * exception while reporting one (the stack is reset to the same IST top
 * each time) halts at once instead of looping. */
__attribute__((no_stack_protector)) void hvt_trap(struct hvt_trap_frame *f)
{
    static bool reporting;
    if (reporting)
        hvt_halt(255, NULL);
    reporting = true;
    uint64_t cr2;
    __asm__ volatile("movq %%cr2, %0" : "=r"(cr2));
    const char *name = f->vector < 32 && names[f->vector]
                           ? names[f->vector]
                           : "reserved exception";
    char e[19], rip[19], c2[19];
    solo5_say("hvt: guest exception: ", name, ", error ", hex(f->error, e),
              ", rip ", hex(f->rip, rip), ", cr2 ", hex(cr2, c2), "\n", NULL);
    /* The cookie: the registers in the layout Solo5's tenders dump, in a
     * buffer of the SOLO5_HVT_HALT_COOKIE_MAX bytes it must allow (the
     * frame, near the top of the stack, may not). */
    static struct hvt_trap_cookie cookie;
    cookie = (struct hvt_trap_cookie){
        .cr2 = cr2,
        .error = f->error,
        .rip = f->rip,
        .cs = f->cs,
        .rflags = f->rflags,
        .rsp = f->rsp,
        .ss = f->ss,
    };
    hvt_halt(255, &cookie);
}
