/* The unix platform's process entry point. The kernel starts _start with
 * the stack holding argc, argv[], NULL, envp[], NULL, auxv[]; pass that
 * address to unix_start (boot.c) on a 16-byte aligned stack. */
    .text
    .globl _start
    .type _start, @function
_start:
    xorl %ebp, %ebp     /* outermost frame for debuggers */
    movq %rsp, %rdi     /* argument: the initial stack */
    andq $-16, %rsp
    call unix_start     /* never returns */
    hlt
    .size _start, . - _start

/* The signal restorer fault.c registers (x86_64 Linux requires one). */
    .globl unix_sigreturn
    .type unix_sigreturn, @function
unix_sigreturn:
    movl $15, %eax      /* rt_sigreturn */
    syscall
    hlt
    .size unix_sigreturn, . - unix_sigreturn

    .section .note.GNU-stack, "", @progbits
