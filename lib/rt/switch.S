/* The fiber context switch (x86_64 System V). Only what the ABI says a
 * call preserves is saved: rbx, rbp, r12-r15, the stack pointer and, by
 * the call itself, the return address. Freestanding code has no FP/SSE
 * state to keep.
 *
 *   void rt_switch(void **save_sp, void *to);
 *   void rt_fiber_entry(void);   first "return address" of a new fiber
 */
    .text
    .globl rt_switch
    .type rt_switch, @function
rt_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size rt_switch, . - rt_switch

/* A new fiber's stack is laid out by fiber.c so that rt_switch "returns"
 * here with the fiber in r12 and the stack 16-byte aligned; the C body
 * never returns. */
    .globl rt_fiber_entry
    .type rt_fiber_entry, @function
rt_fiber_entry:
    movq %r12, %rdi
    call rt_fiber_start
    ud2
    .size rt_fiber_entry, . - rt_fiber_entry

    .section .note.GNU-stack, "", @progbits
