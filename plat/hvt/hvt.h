/* Internals of the hvt guest bindings: the boot record, the hypercall
 * instruction and the pieces boot.c starts. Not a public interface. */
#ifndef MIRAGE_PLAT_HVT_H
#define MIRAGE_PLAT_HVT_H

#include <mirage/plat.h>
#include <mirage/solo5.h>
#include <stdint.h>

/* Issue hypercall n: one 32-bit `out` of the argument struct's address
 * (guest-physical = virtual, below 4 GiB: the stack and the image are) to
 * port SOLO5_HVT_PIO_BASE + n. The tender reads and writes *arg before
 * the instruction completes; the clobber keeps the compiler from caching
 * its fields across the call. */
static inline void hvt_hypercall(unsigned n, void *arg)
{
    __asm__ volatile("outl %0, %1"
                     :
                     : "a"((uint32_t)(uintptr_t)arg),
                       "d"((uint16_t)(SOLO5_HVT_PIO_BASE + n))
                     : "memory");
}

/* Load the guest's own GDT, TSS and the IDT whose vectors 0-31 report the
 * exception (trap.c) and halt with status 255. Called first thing by
 * _start, before the thread pointer is set: must not use the canary. */
void hvt_cpu_init(void);

/* Build the guest's own page tables (paging.c) just after the image
 * (kernel_end), mapping memory as the tender does, and load them; returns
 * the end of the tables, where free memory now starts. */
uint64_t hvt_paging_init(uint64_t kernel_end, uint64_t mem_size);

/* Start the monotonic clock from the TSC (freq: its rate in Hz, > 0). */
void hvt_clock_init(uint64_t freq);

/* Batched network I/O (net.c, MIRAGE_EXT_NET_VEC). */
/* At boot: give each network device the tender serves through NETV its
 * transmit and receive areas, from free memory at free_start; returns
 * where free memory now starts (free_start when none is served). */
uint64_t hvt_net_init(const struct solo5_mft *mft, uint64_t free_start);
/* Before blocking: send every queued frame, and refill each consumed
 * receive area unless the host had nothing at its last NETV; returns the
 * devices that now have frames to read (plat_yield returns those at once,
 * without POLL), and sets *empty to those the host was just found to have
 * nothing for. */
plat_handle_set hvt_net_flush(plat_handle_set *empty);
/* After POLL: the devices in ready may have frames again. */
void hvt_net_polled(plat_handle_set ready);
/* plat_yield with MIRAGE_EXT_NETV_WAIT granted (else false, and nothing
 * is done): if some receive area still has frames and nothing is queued,
 * *ready = those devices at once; else one NETV_WAIT sends every queued
 * frame, refills every consumed receive area and, if none of them got a
 * frame, waits up to timeout ns (at most MIRAGE_NETV_WAIT_MAX; 0 when
 * frames are still to read) as POLL does. *ready is then the network
 * devices with frames in their area or waiting at the host. */
bool hvt_net_wait(uint64_t timeout, plat_handle_set *ready);
/* Before halting: send every queued frame. */
void hvt_net_exit(void);

/* Halt the guest with status and a cookie the tender may inspect (NULL
 * or up to SOLO5_HVT_HALT_COOKIE_MAX bytes). Never returns. */
_Noreturn void hvt_halt(int status, void *cookie);

/* Continue booting after _start: record the boot info, start the clock,
 * split the command line, hand the heap and the arguments to the runtime.
 * Never returns. */
_Noreturn void hvt_boot(const struct solo5_hvt_boot_info *bi);

#endif
