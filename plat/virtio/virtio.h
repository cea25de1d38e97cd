/* Internals of the virtio platform: the pieces start.c brings up in
 * order, and the services the drivers share. Not a public interface. */
#ifndef MIRAGE_PLAT_VIRTIO_H
#define MIRAGE_PLAT_VIRTIO_H

#include "boot.h"

#include <mirage/plat.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIRTIO_TIMER_VECTOR    0x40
#define VIRTIO_SPURIOUS_VECTOR 0xff

/* Load the guest's GDT, TSS and IDT, remap and mask the legacy PIC
 * (cpu.c). First thing after boot.S: must not use the canary. */
void virtio_cpu_init(void);

/* Exit with status (see exit.c for how it reaches the host). */
_Noreturn void virtio_exit(int status);
/* Power off through ACPI if the firmware tables describe how; returns if
 * they do not or it did not work (acpi.c). */
void virtio_acpi_poweroff(void);
/* Where to look for the ACPI tables: the RSDP's address from the boot
 * loader, 0 to search the BIOS areas (acpi.c). */
void virtio_acpi_init(uint64_t rsdp);

/* The 8250 console (serial.c). */
void virtio_serial_init(void);
void virtio_serial_write(const char *buf, size_t len);

/* The virtio console, if the machine has one (console.c). */
void virtio_console_attach(void);

/* Calibrate the TSC clock and read the RTC (clock.c): 0, or -1 with *why
 * when there is no way to know the TSC's rate. */
int virtio_clock_init(const char **why);

/* The TSC's rate in Hz, once virtio_clock_init has found it. */
extern uint64_t virtio_tsc_hz;

/* The median of three values (clock.c, for calibrations). */
uint64_t virtio_median3(uint64_t a, uint64_t b, uint64_t c);

/* The local APIC timer (lapic.c): virtio_sleep idles for about ns, at
 * most VIRTIO_SLEEP_MAX_NS at a time (a caller loops on the clock). */
#define VIRTIO_SLEEP_MAX_NS 10000000ull
void virtio_lapic_init(void);
void virtio_sleep(uint64_t ns);

/* Map [addr, addr + len) uncached for device registers (paging.c): 0, or
 * -1 beyond 512 GiB or out of page tables. */
int virtio_map_device(uint64_t addr, uint64_t len);

/* Reserve, from the DMA memory, the page tables that guard pages in
 * [lo, hi) may need (paging.c), hi being the DMA memory's lowest address
 * before the call: 0, or -1 if there is no room. plat_stack_guard then
 * takes the pages from lo (rounded up to a page) to the DMA memory's new
 * lowest address, and refuses others with PLAT_EINVAL. Called once,
 * after the last DMA allocation. */
int virtio_paging_reserve(uint64_t lo, uint64_t hi);

/* DMA memory from the top of RAM downwards (dma.c): zeroed, aligned
 * (align a power of two), NULL when [lowest, ram_top) is used up. */
void virtio_dma_init(uintptr_t ram_top, uintptr_t lowest);
void *virtio_dma_alloc(size_t size, size_t align);
/* The lowest address handed out so far (ram_top before any). */
uintptr_t virtio_dma_low(void);

/* Write prefix and value as 0x-prefixed hex into out (24 bytes). */
void virtio_format_where(char out[24], const char *prefix, uint64_t value);

/* Wait until the acquired network devices have sent every frame
 * (devices.c; before a normal exit). */
void virtio_net_flush(void);

/* Of the network handles in `nets`, those with a frame waiting
 * (devices.c). */
plat_handle_set virtio_net_ready(plat_handle_set nets);

#endif
