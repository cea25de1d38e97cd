/* The virtio image's C entry, and the ELF notes every image carries (this
 * object is always linked, unlike archive members). boot.S calls
 * virtio_start(kind, record) in long mode on a boot stack in .bss, with
 * interrupts off and no thread pointer: nothing may touch the
 * stack-protector canary before the TCB is in place. The bring-up, in
 * order: CPU tables, TCB, serial console, boot record, ACPI, clock, APIC
 * timer, command line, devices, the page tables guard pages may need;
 * then the stack moves to the top of the RAM left below the DMA memory,
 * and the shared Solo5-style boot (plat/solo5/boot_record.h) runs the
 * unikernel with the heap between the image and that stack. The notes
 * are Solo5's but not MirageC's EXT1: no tender runs a virtio image, so
 * there is nothing to negotiate (the guest owns its page tables and
 * reports its own faults). */
#include "../solo5/boot_record.h"
#include "../solo5/notes.h"
#include "../solo5/say.h"
#include "../solo5/tcb.h"
#include "bootinfo.h"
#include "cmdline.h"
#include "devices.h"
#include "io.h"
#include "virtio.h"

SOLO5_ABI_NOTES(SOLO5_ABI_TARGET_VIRTIO);

#define MSR_FS_BASE       0xc0000100u
#define EXIT_BAD_ARGUMENT 64
#define MIN_HEAP          (1u << 20)

/* link.ld */
extern char virtio_image_start[], _end[];

static struct solo5_tcb tcb;
static struct virtio_args args;
static char rest[SOLO5_CMDLINE_SIZE];
static const struct solo5_mft *mft;
static uint64_t mem_size;

_Noreturn void virtio_start(int kind, uint32_t record);

_Noreturn static void run_unikernel(void)
{
    solo5_boot("virtio", mft, rest, (uint64_t)(uintptr_t)_end, mem_size);
}

_Noreturn static void die(const char *what, const char *detail, const char *why,
                          int status)
{
    solo5_say("virtio: ", what, ": ", detail ? detail : "", detail ? ": " : "",
              why, "\n", NULL);
    virtio_exit(status);
}

_Noreturn static void bring_up(int kind, uint32_t record)
{
    virtio_serial_init();
    struct boot_info bi;
    const char *why, *word;
    if (boot_info_read(kind, record, (uint64_t)(uintptr_t)virtio_image_start,
                       (uint64_t)(uintptr_t)_end, &bi, &why) < 0)
        die("boot", NULL, why, 255);
    virtio_acpi_init(bi.rsdp);
    if (virtio_clock_init(&why) < 0)
        die("clock", NULL, why, 255);
    virtio_lapic_init();
    if (virtio_cmdline_take(bi.cmdline, bi.cmdline_has_image, &args, rest,
                            sizeof rest, &word, &why) < 0)
        die("command line", word, why, EXIT_BAD_ARGUMENT);
    uintptr_t floor = (uintptr_t)_end + SOLO5_BOOT_STACK_SIZE + MIN_HEAP;
    if (bi.ram_end < floor)
        die("memory", NULL, "no room for the heap", 255);
    virtio_dma_init(bi.ram_end, floor);
    mft = virtio_devices_init(&args);
    if (virtio_paging_reserve((uint64_t)(uintptr_t)_end, virtio_dma_low()) < 0)
        die("memory", NULL, "no room for the page tables", 255);
    mem_size = virtio_dma_low() & ~(uintptr_t)15;
    __asm__ volatile("movq %0, %%rsp\n\t"
                     "xorl %%ebp, %%ebp\n\t"
                     "call *%1"
                     :
                     : "r"(mem_size), "r"(run_unikernel)
                     : "memory");
    __builtin_unreachable();
}

__attribute__((no_stack_protector)) _Noreturn void virtio_start(int kind,
                                                                uint32_t record)
{
    virtio_cpu_init();
    solo5_tcb_init(&tcb);
    wrmsr(MSR_FS_BASE, (uint64_t)(uintptr_t)&tcb);
    bring_up(kind, record);
}
