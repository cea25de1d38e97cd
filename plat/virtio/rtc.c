/* CMOS RTC registers to Unix time (see rtc.h). */
#include "rtc.h"

#include <stdbool.h>

static bool decode(uint8_t raw, bool binary, unsigned max, unsigned *v)
{
    if (!binary && ((raw & 0x0f) > 9 || (raw >> 4) > 9))
        return false;
    *v = binary ? raw : (unsigned)(raw >> 4) * 10 + (raw & 0x0f);
    return *v <= max;
}

int64_t rtc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Years counted from March, so that the leap day ends a year. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t rtc_unix_time(const struct rtc_regs *r)
{
    bool bin = r->status_b & RTC_B_BINARY;
    unsigned sec, min, hour, mday, mon, year, century;
    bool pm = !(r->status_b & RTC_B_24H) && (r->hour & RTC_PM);
    if (!decode(r->sec, bin, 59, &sec) || !decode(r->min, bin, 59, &min) ||
        !decode((uint8_t)(r->hour & (r->status_b & RTC_B_24H ? 0xff : 0x7f)),
                bin, 23, &hour) ||
        !decode(r->mday, bin, 31, &mday) || !decode(r->mon, bin, 12, &mon) ||
        !decode(r->year, bin, 99, &year) || mday == 0 || mon == 0)
        return -1;
    if (!(r->status_b & RTC_B_24H)) {
        if (hour == 0 || hour > 12)
            return -1;
        hour = hour % 12 + (pm ? 12 : 0);
    }
    unsigned full;
    if (decode(r->century, bin, 99, &century) && century >= 19 && century <= 29)
        full = century * 100 + year;
    else
        full = year >= 70 ? 1900 + year : 2000 + year;
    return rtc_days_from_civil(full, mon, mday) * 86400 + hour * 3600 +
           min * 60 + sec;
}
