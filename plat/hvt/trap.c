/* Reporting a CPU exception in the hvt guest: a page fault in a stack
 * guard page is named by the runtime ("fiber stack overflow ..."); then,
 * unless the tender reports guest faults itself (MirageC's
 * MIRAGE_EXT_FAULTS), the exception's name, error code, RIP and CR2 go
 * to the console; and the guest halts with status 255 and a cookie
 * holding the registers, which tenders report and dump. */
#include "../solo5/ext.h"
#include "../solo5/say.h"
#include "hvt.h"

#include <mirage/plat.h>
#include <stdbool.h>
#include <stddef.h>

#define VECTOR_PF 14

/* What trap_entry.S pushed, lowest address first. */
struct hvt_trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
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

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

void hvt_trap(struct hvt_trap_frame *f);

/* No canary here: a broken thread pointer may be what trapped (the
 * runtime's check, which has one, runs only for page faults, with the
 * thread pointer the guest set). An exception while reporting one (the
 * stack is reset to the same IST top each time) halts at once instead of
 * looping. */
__attribute__((no_stack_protector)) void hvt_trap(struct hvt_trap_frame *f)
{
    static bool reporting;
    if (reporting)
        hvt_halt(255, NULL);
    reporting = true;
    uint64_t cr2;
    __asm__ volatile("movq %%cr2, %0" : "=r"(cr2));
    if (f->vector == VECTOR_PF)
        mirage_rt_stack_fault(cr2);
    if (!solo5_ext_granted(MIRAGE_EXT_FAULTS)) {
        char e[19], rip[19], c2[19];
        solo5_say("hvt: guest exception: ", solo5_x86_exception_name(f->vector),
                  ", error ", hex(f->error, e), ", rip ", hex(f->rip, rip),
                  ", cr2 ", hex(cr2, c2), "\n", NULL);
    }
    /* In a buffer of the SOLO5_HVT_HALT_COOKIE_MAX bytes the tender may
     * read (the frame, near the top of the stack, may not have them). */
    static struct solo5_hvt_trap_cookie cookie;
    cookie = (struct solo5_hvt_trap_cookie){
        .cr2 = cr2,
        .error = f->error,
        .rip = f->rip,
        .cs = f->cs,
        .rflags = f->rflags,
        .rsp = f->rsp,
        .ss = f->ss,
        .magic = MIRAGE_TRAP_MAGIC,
        .vector = f->vector,
        .rax = f->rax,
        .rbx = f->rbx,
        .rcx = f->rcx,
        .rdx = f->rdx,
        .rsi = f->rsi,
        .rdi = f->rdi,
        .rbp = f->rbp,
        .r8 = f->r8,
        .r9 = f->r9,
        .r10 = f->r10,
        .r11 = f->r11,
        .r12 = f->r12,
        .r13 = f->r13,
        .r14 = f->r14,
        .r15 = f->r15,
        .fs_base = rdmsr(0xc0000100u),
    };
    hvt_halt(255, &cookie);
}
