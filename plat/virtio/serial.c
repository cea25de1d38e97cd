/* The console on the first 8250 UART (COM1, port 0x3f8): 115200 8N1, no
 * interrupts, each byte written when the transmitter is ready and "\n"
 * sent as "\r\n", as a serial terminal expects. A machine without the
 * UART (the scratch register does not keep what is written to it) gets
 * no serial output. */
#include "io.h"
#include "virtio.h"

#define COM1     0x3f8
#define THR      0 /* transmit holding register; divisor low with DLAB */
#define IER      1 /* interrupt enable; divisor high with DLAB */
#define FCR      2
#define LCR      3
#define MCR      4
#define LSR      5
#define SCR      7
#define LCR_DLAB 0x80
#define LCR_8N1  0x03
#define LSR_THRE 0x20
#define DIVISOR  1 /* 115200 baud */

static bool present;

void virtio_serial_init(void)
{
    outb(COM1 + SCR, 0x5a);
    if (inb(COM1 + SCR) != 0x5a)
        return;
    outb(COM1 + IER, 0);
    outb(COM1 + LCR, LCR_DLAB);
    outb(COM1 + THR, DIVISOR & 0xff);
    outb(COM1 + IER, DIVISOR >> 8);
    outb(COM1 + LCR, LCR_8N1);
    outb(COM1 + FCR, 0x07); /* enable and clear the FIFOs */
    outb(COM1 + MCR, 0x03); /* DTR, RTS */
    present = true;
}

static void put(char c)
{
    for (int i = 0; i < 100000 && !(inb(COM1 + LSR) & LSR_THRE); i++)
        cpu_relax();
    outb(COM1 + THR, (uint8_t)c);
}

void virtio_serial_write(const char *buf, size_t len)
{
    if (!present)
        return;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n')
            put('\r');
        put(buf[i]);
    }
}
