/* Stack guards and faults on spt, through MirageC's extensions (see
 * <mirage/solo5.h>): guard pages are mprotect'ed, which the tender's
 * filter allows only when it granted MIRAGE_EXT_SPT_GUARD (Solo5's
 * filter would kill the guest: without the grant there are no guards);
 * and the tender's fault handler calls spt_fault_hook, so the runtime can
 * name an overflowed fiber before the tender reports the fault. */
#include "../solo5/ext.h"
#include "spt.h"

#include <mirage/plat.h>

enum plat_result plat_stack_guard(void *page, bool guard)
{
    if (!solo5_ext_granted(MIRAGE_EXT_SPT_GUARD))
        return PLAT_EUNSPEC;
    if ((uintptr_t)page & (PLAT_PAGE_SIZE - 1))
        return PLAT_EINVAL;
    long prot = guard ? LINUX_PROT_NONE : LINUX_PROT_READ | LINUX_PROT_WRITE;
    return linux_syscall3(LINUX_SYS_mprotect, page, PLAT_PAGE_SIZE, prot) == 0
               ? PLAT_OK
               : PLAT_EUNSPEC;
}

/* Called by the tender on its signal stack, with the guest's thread
 * pointer: only the runtime's guard-page check, which prints and returns;
 * the tender then reports the fault and exits. */
static void spt_fault_hook(uint64_t addr)
{
    mirage_rt_stack_fault(addr);
}

void spt_fault_init(void)
{
    if (solo5_ext_granted(MIRAGE_EXT_FAULTS))
        solo5_ext.fault_hook = (uint64_t)(uintptr_t)spt_fault_hook;
}
