/* The stack protector's failure path. The canary itself is read from
 * %fs:0x28, in the thread control block the platform sets up. */
#include <stdio.h>
#include <stdlib.h>

_Noreturn void __stack_chk_fail(void);

_Noreturn void __stack_chk_fail(void)
{
    fputs("stack smashing detected\n", stderr);
    abort();
}
