/* Exception entry for the hvt guest: the stubs of
 * plat/solo5/trap_entry.inc calling hvt_trap(frame) (trap.c), which
 * reports the exception and halts; the frame's layout is struct
 * solo5_trap_frame (plat/solo5/exception.h). */
#include "../solo5/trap_entry.inc"

    .text
    TRAP_ENTRY hvt_trap, hvt_trap_stubs

    .section .note.GNU-stack, "", @progbits
