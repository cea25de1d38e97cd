/* Entry point of spt images, and the ELF notes every image carries (this
 * object is always linked, unlike archive members). The tender jumps to
 * _start with RSP = mem_size - 8 and RDI = the boot info; the FS base is
 * whatever the tender left, so nothing here may touch the stack-protector
 * canary before the thread pointer is set. */
#include "../solo5/notes.h"
#include "../solo5/tcb.h"
#include "spt.h"

SOLO5_IMAGE_NOTES(SOLO5_ABI_TARGET_SPT, MIRAGE_EXT_FAULTS |
                                            MIRAGE_EXT_SPT_GUARD |
                                            MIRAGE_EXT_NET_VHDR);

static struct solo5_tcb tcb;

_Noreturn void _start(const struct solo5_spt_boot_info *bi);

__attribute__((no_stack_protector)) _Noreturn void
_start(const struct solo5_spt_boot_info *bi)
{
    solo5_tcb_init(&tcb);
    if (linux_syscall2(LINUX_SYS_arch_prctl, LINUX_ARCH_SET_FS, &tcb) < 0)
        linux_syscall1(LINUX_SYS_exit_group, 255);
    spt_boot(bi);
}
