/* FAT timestamps: the packed date (years since 1980, month, day) and time
 * (hours, minutes, two-second units) of directory entries, read and
 * written as UTC (a unikernel has no time zone). */
#include <mirage/clock.h>
#include <mirage/plat.h>

#include "fat.h"

#define NS_PER_SEC 1000000000ull

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian). */
static uint64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    uint64_t era = (uint64_t)y / 400;
    uint64_t yoe = (uint64_t)y - era * 400;
    uint64_t doy = (uint64_t)(153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void fat_entry_touch(uint8_t *e, bool create)
{
    fat_entry_set_time(e, plat_clock_wall(), create);
}

void fat_entry_set_time(uint8_t *e, uint64_t ns, bool create)
{
    struct mirage_tm tm;
    mirage_time_to_tm(ns, &tm);
    if (tm.year < 1980)
        tm = (struct mirage_tm){1980, 1, 1, 0, 0, 0, 0};
    if (tm.year > 2107)
        tm = (struct mirage_tm){2107, 12, 31, 23, 59, 58, 0};
    uint32_t date = (uint32_t)((tm.year - 1980) << 9 | tm.month << 5 | tm.day);
    uint32_t time = (uint32_t)(tm.hour << 11 | tm.min << 5 | tm.sec / 2);
    fat_put16(e + 22, time);
    fat_put16(e + 24, date);
    fat_put16(e + 18, date); /* last access */
    if (create) {
        e[13] = (uint8_t)((tm.sec % 2) * 100 + tm.nsec / 10000000);
        fat_put16(e + 14, time);
        fat_put16(e + 16, date);
    }
}

uint64_t fat_entry_mtime(const uint8_t *e)
{
    uint32_t date = fat_le16(e + 24), time = fat_le16(e + 22);
    int month = date >> 5 & 0x0F, day = date & 0x1F;
    if (month < 1 || month > 12 || day < 1)
        return 0;
    uint64_t days = days_from_civil(1980 + (int)(date >> 9), month, day);
    uint64_t secs = days * 86400 + (time >> 11) * 3600 +
                    (time >> 5 & 0x3F) * 60 + (time & 0x1F) * 2;
    return secs * NS_PER_SEC;
}
