/* Exception entry for the hvt guest: one stub per vector 0-31 pushes a zero
 * error code where the CPU pushes none, then the vector; the common path
 * saves the general registers and calls hvt_trap(frame), which reports the
 * exception and halts (it never returns). The frame's layout is struct
 * hvt_trap_frame in trap.c. */
    .text
    .macro STUB vec
    .align 16
trap_stub_\vec:
    .if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    pushq $0
    .endif
    pushq $\vec
    jmp trap_common
    .endm

    .altmacro
    .set vec, 0
    .rept 32
    STUB %vec
    .set vec, vec + 1
    .endr

trap_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, %rdi
    andq $-16, %rsp
    call hvt_trap
    ud2

    .macro STUB_ADDR vec
    .quad trap_stub_\vec
    .endm

    .section .rodata.hvt_trap_stubs, "a"
    .align 8
    .globl hvt_trap_stubs
hvt_trap_stubs:
    .set vec, 0
    .rept 32
    STUB_ADDR %vec
    .set vec, vec + 1
    .endr

    .section .note.GNU-stack, "", @progbits
