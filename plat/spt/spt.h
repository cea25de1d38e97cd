/* Internals of the spt guest bindings: the system calls the spt ABI
 * allows and the descriptors the tender created. Not a public interface. */
#ifndef MIRAGE_PLAT_SPT_H
#define MIRAGE_PLAT_SPT_H

#include "../linux/syscall.h"

#include <mirage/solo5.h>

/* The tender's epoll and timer descriptors (from the boot info). */
extern int spt_epollfd, spt_timerfd;

/* Register the guest's fault hook with the tender, if it reports faults
 * (guard.c). */
void spt_fault_init(void);

/* Continue booting after _start: record the boot info, split the command
 * line, hand the heap and the arguments to the runtime. Never returns. */
_Noreturn void spt_boot(const struct solo5_spt_boot_info *bi);

#endif
