/* Test guest that misbehaves in the way its first argument names, to check
 * that mirage-hvt stops it with a clear message (and that the guest's own
 * exception reporting works). Declares one network device, "service". */
#include <mirage/plat.h>
#include <mirage/solo5.h>
#include <stdint.h>

#include "../../tender/guest.h"

SOLO5_MANIFEST(1, SOLO5_MFT_NET("service"));

static void out(unsigned port, uint32_t value)
{
    __asm__ volatile("outl %0, %1" ::"a"(value), "d"((uint16_t)port)
                     : "memory");
}

static const char message[] = "never printed\n";

_Noreturn void mirage_rt_boot(const struct plat_boot *boot)
{
    const char *what = boot->argc > 1 ? boot->argv[1] : "";
    static struct solo5_hvt_puts puts;
    static struct solo5_hvt_net_io io;
    static char buf[64];
    if (guest_streq(what, "port")) {
        /* A port outside the hypercall range. */
        out(SOLO5_HVT_PIO_BASE + 0x20, 0);
    } else if (guest_streq(what, "port-in")) {
        /* A read from a hypercall port. */
        uint32_t v;
        __asm__ volatile(
            "inl %1, %0"
            : "=a"(v)
            : "d"((uint16_t)(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_PUTS)));
    } else if (guest_streq(what, "arg")) {
        /* The argument struct outside guest memory. */
        out(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_WALLTIME, 0xfffff000u);
    } else if (guest_streq(what, "arg-readonly")) {
        /* An argument struct the tender would write, in read-only data. */
        out(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_WALLTIME,
            (uint32_t)(uintptr_t)message);
    } else if (guest_streq(what, "pointer")) {
        /* PUTS of a buffer beyond the end of memory. */
        puts = (struct solo5_hvt_puts){.data = 0xffff0000u, .len = 16};
        out(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_PUTS, (uint32_t)(uintptr_t)&puts);
    } else if (guest_streq(what, "pointer-low")) {
        /* PUTS of the tender's page tables, below 0x10000. */
        puts = (struct solo5_hvt_puts){.data = 0x2000, .len = 16};
        out(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_PUTS, (uint32_t)(uintptr_t)&puts);
    } else if (guest_streq(what, "overflow")) {
        /* A length that wraps the address space. */
        puts = (struct solo5_hvt_puts){.data = (uintptr_t)message,
                                       .len = UINT64_MAX - 8};
        out(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_PUTS, (uint32_t)(uintptr_t)&puts);
    } else if (guest_streq(what, "read-into-code")) {
        /* NET_READ into the image's code. */
        io = (struct solo5_hvt_net_io){
            .handle = 1, .data = (uintptr_t)mirage_rt_boot, .len = 2048};
        out(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_NET_READ,
            (uint32_t)(uintptr_t)&io);
    } else if (guest_streq(what, "handle")) {
        /* NET_WRITE on a handle the manifest does not have. */
        io = (struct solo5_hvt_net_io){
            .handle = 5, .data = (uintptr_t)buf, .len = sizeof(buf)};
        out(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_NET_WRITE,
            (uint32_t)(uintptr_t)&io);
    } else if (guest_streq(what, "handle-reserved")) {
        /* NET_READ on handle 0, the reserved entry. */
        io = (struct solo5_hvt_net_io){
            .handle = 0, .data = (uintptr_t)buf, .len = sizeof(buf)};
        out(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_NET_READ,
            (uint32_t)(uintptr_t)&io);
    } else if (guest_streq(what, "handle-type")) {
        /* BLOCK_READ on the network device. */
        static struct solo5_hvt_block_io b;
        b = (struct solo5_hvt_block_io){
            .handle = 1, .data = (uintptr_t)buf, .len = 512};
        out(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_BLOCK_READ,
            (uint32_t)(uintptr_t)&b);
    } else if (guest_streq(what, "ud")) {
        __asm__ volatile("ud2");
    } else if (guest_streq(what, "null")) {
        /* Page 0 is not mapped. */
        __asm__ volatile("movq 0, %%rax" ::: "rax", "memory");
    } else if (guest_streq(what, "write-bootinfo")) {
        /* The boot info page is mapped read-only. */
        __asm__ volatile("movq %%rax, 0x10000" ::: "memory");
    } else if (guest_streq(what, "write-code")) {
        /* The guest's page tables allow it; the tender's mapping does not. */
        *(volatile uint8_t *)(uintptr_t)mirage_rt_boot = 0xc3;
    } else if (guest_streq(what, "stack")) {
        /* A push with the stack pointer in unmapped memory. */
        __asm__ volatile("movq $0x8000, %%rsp; pushq $0" ::: "memory");
    } else if (guest_streq(what, "triple")) {
        /* An exception with no IDT: a double, then a triple fault. */
        static const struct __attribute__((packed)) {
            uint16_t limit;
            uint64_t base;
        } no_idt = {0, 0};
        __asm__ volatile("lidt %0; ud2" ::"m"(no_idt));
    } else if (guest_streq(what, "halt-cookie")) {
        /* HALT with its cookie outside guest memory. */
        static struct solo5_hvt_halt h = {.cookie = 0xfffff000u,
                                          .exit_status = 255};
        out(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_HALT, (uint32_t)(uintptr_t)&h);
    } else if (guest_streq(what, "poll-readonly")) {
        /* POLL with its argument in read-only data (the tender writes
         * ready_set and ret). */
        static const struct solo5_hvt_poll p = {.timeout_nsecs = 0};
        out(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_POLL, (uint32_t)(uintptr_t)&p);
    } else if (guest_streq(what, "cookie-solo5")) {
        /* A trap cookie as Solo5's guests leave it: no MirageC part. */
        static struct solo5_hvt_trap_cookie c = {.cr2 = 0xdead000,
                                                 .rip = 0x123456};
        static struct solo5_hvt_halt h;
        h = (struct solo5_hvt_halt){.cookie = (uintptr_t)&c,
                                    .exit_status = 255};
        out(SOLO5_HVT_PIO_BASE + SOLO5_HVT_HC_HALT, (uint32_t)(uintptr_t)&h);
    } else if (guest_streq(what, "hlt")) {
        __asm__ volatile("cli; hlt");
    } else {
        guest_print("bad: unknown test\n");
        plat_exit(2);
    }
    guest_print("bad: survived\n");
    plat_exit(1);
}
