/* Leaving the virtio guest. The exit status goes to QEMU's isa-debug-exit
 * device at its default port 0x501, where QEMU exits with 2 * value + 1:
 * statuses 0-126 are written as they are and 127-255 as 127 (QEMU exit
 * status 255), so no failure can read as success. Without that device
 * the write goes nowhere; the guest then says which status it could not
 * report, and powers off by ACPI (acpi.c) or, as Firecracker expects,
 * by the i8042 reset line; a triple fault is the last resort (QEMU with
 * -no-reboot exits on either reset). A normal exit first waits for the
 * network devices to send what they were given. */
#include "../solo5/say.h"
#include "io.h"
#include "virtio.h"

#include <mirage/plat.h>

#define DEBUG_EXIT_PORT 0x501
#define DEBUG_EXIT_MAX  127
#define I8042_STATUS    0x64
#define I8042_BUSY      0x02
#define I8042_RESET     0xfe

static void say_status(int status)
{
    char digits[4] = {0};
    int n = 0;
    if (status >= 100)
        digits[n++] = (char)('0' + status / 100);
    if (status >= 10)
        digits[n++] = (char)('0' + status / 10 % 10);
    digits[n] = (char)('0' + status % 10);
    solo5_say("virtio: exit status ", digits,
              " (the machine has no isa-debug-exit device to carry it)\n",
              NULL);
}

_Noreturn void virtio_exit(int status)
{
    status &= 0xff;
    outb(DEBUG_EXIT_PORT,
         (uint8_t)(status < DEBUG_EXIT_MAX ? status : DEBUG_EXIT_MAX));
    if (status != 0)
        say_status(status);
    virtio_acpi_poweroff();
    for (int i = 0; i < 100000 && (inb(I8042_STATUS) & I8042_BUSY); i++)
        cpu_relax();
    outb(I8042_STATUS, I8042_RESET);
    /* No IDT: the next exception resets the machine. */
    static const struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } no_idt = {0, 0};
    __asm__ volatile("lidt %0; int3" ::"m"(no_idt));
    for (;;)
        __asm__ volatile("cli; hlt");
}

_Noreturn void plat_exit(int status)
{
    virtio_net_flush();
    virtio_exit(status);
}

_Noreturn void plat_abort(void)
{
    virtio_exit(255);
}
