/* <setjmp.h> of the freestanding libc subset (lib/rt/setjmp.S, x86_64).
 * A jmp_buf holds the callee-saved registers (rbx, rbp, r12-r15), the
 * stack pointer and the return address. longjmp must target a setjmp of a
 * function still active on the same fiber's stack; setjmp returns val
 * there (1 if val is 0). No signal mask is saved (there are no signals). */
#ifndef _MIRAGE_SETJMP_H
#define _MIRAGE_SETJMP_H

typedef long jmp_buf[8];

__attribute__((returns_twice)) int setjmp(jmp_buf env);
_Noreturn void longjmp(jmp_buf env, int val);

#endif
