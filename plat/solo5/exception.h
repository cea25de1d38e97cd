/* CPU exception reports of the guests that run in a VM (hvt, virtio):
 * the frame plat/solo5/trap_entry.inc's common path hands the target's
 * handler, the first steps every handler takes, the one-line report and
 * register formatting. No allocation, no printf, no stack-protector
 * canary: they run when the runtime, or the thread pointer, may be what
 * broke. The runtime's guard-page check, which has a canary, runs only
 * for page faults, with the thread pointer the guest set. */
#ifndef MIRAGE_PLAT_SOLO5_EXCEPTION_H
#define MIRAGE_PLAT_SOLO5_EXCEPTION_H

#include <stdbool.h>
#include <stdint.h>

/* What trap_entry.inc pushed, lowest address first. */
struct solo5_trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* The first step of a handler, on the exception stack: false when an
 * exception is already being reported (one raised by the report itself;
 * the handler must then stop at once: each exception starts again at the
 * same stack top, so retrying would loop). Otherwise sets *cr2 and, for a
 * page fault, lets the runtime name an overflowed stack
 * (mirage_rt_stack_fault writes "fiber stack overflow in fiber N ..." when
 * *cr2 is in a guard page), and returns true: the handler then reports
 * the exception and stops with status 255. */
bool solo5_trap_enter(const struct solo5_trap_frame *f, uint64_t *cr2);

/* Write "WHO: guest exception: #PF page fault, error 0x..., rip 0x...,
 * cr2 0x..." and a newline to the console. */
void solo5_trap_say(const char *who, const struct solo5_trap_frame *f,
                    uint64_t cr2);

/* Formats v as 0x followed by 16 hex digits into buf; returns buf. */
const char *solo5_hex(uint64_t v, char buf[19]);

#endif
