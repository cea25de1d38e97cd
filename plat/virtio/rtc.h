/* The CMOS real-time clock's registers turned into Unix time. Pure, so it
 * is tested hosted; clock.c reads the registers. */
#ifndef MIRAGE_PLAT_VIRTIO_RTC_H
#define MIRAGE_PLAT_VIRTIO_RTC_H

#include <stdint.h>

/* The RTC registers clock.c reads, as the chip holds them (BCD or binary,
 * 12- or 24-hour, per status_b). */
struct rtc_regs {
    uint8_t sec, min, hour, mday, mon, year, century, status_b;
};

#define RTC_B_24H    0x02
#define RTC_B_BINARY 0x04
#define RTC_PM       0x80 /* in the hour register, 12-hour mode */

/* Seconds since 1970-01-01T00:00:00Z for the time in r (UTC), or -1 when
 * a field is out of range (no RTC reads 0xff everywhere). The century
 * register is used when it holds 19 to 29, else years 70-99 are 19xx and
 * 00-69 are 20xx. */
int64_t rtc_unix_time(const struct rtc_regs *r);

/* Days from 1970-01-01 to the given proleptic Gregorian date. */
int64_t rtc_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
