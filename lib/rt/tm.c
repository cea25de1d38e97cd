/* Calendar conversion of the wall clock (clock.h): nanoseconds since the
 * Unix epoch to a broken-down UTC time and to RFC 3339 text. Integer
 * arithmetic only (freestanding code has no floating point). */
#include <mirage/clock.h>

#define NS_PER_SEC  1000000000ull
#define SEC_PER_DAY 86400ull

/* Days since 1970-01-01 to a proleptic Gregorian date. The count is
 * shifted to start on 0000-03-01 so that the leap day ends each year;
 * eras are the 146097-day, 400-year cycles of the calendar. */
static void civil_from_days(uint64_t days, int *year, int *month, int *day)
{
    uint64_t z = days + 719468; /* days since 0000-03-01 */
    uint64_t era = z / 146097;
    uint64_t doe = z - era * 146097; /* day of era, 0..146096 */
    uint64_t yoe =
        (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
    uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);    /* from March */
    uint64_t mp = (5 * doy + 2) / 153;                         /* 0 = March */
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

void mirage_time_to_tm(uint64_t ns, struct mirage_tm *tm)
{
    uint64_t secs = ns / NS_PER_SEC;
    uint64_t sod = secs % SEC_PER_DAY;
    civil_from_days(secs / SEC_PER_DAY, &tm->year, &tm->month, &tm->day);
    tm->hour = (int)(sod / 3600);
    tm->min = (int)(sod / 60 % 60);
    tm->sec = (int)(sod % 60);
    tm->nsec = (uint32_t)(ns % NS_PER_SEC);
}

static char *put_digits(char *p, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

void mirage_time_rfc3339(uint64_t ns, char *buf)
{
    struct mirage_tm tm;
    mirage_time_to_tm(ns, &tm);
    char *p = put_digits(buf, tm.year, 4);
    *p++ = '-';
    p = put_digits(p, tm.month, 2);
    *p++ = '-';
    p = put_digits(p, tm.day, 2);
    *p++ = 'T';
    p = put_digits(p, tm.hour, 2);
    *p++ = ':';
    p = put_digits(p, tm.min, 2);
    *p++ = ':';
    p = put_digits(p, tm.sec, 2);
    const char zone[] = "-00:00";
    for (unsigned i = 0; i < sizeof zone; i++)
        *p++ = zone[i];
}
