/* Tests of the calendar conversion (tm.c) against the host's gmtime_r. */
#include "test.h"

#include <mirage/clock.h>
#include <stdint.h>
#include <time.h>

#define NS 1000000000ull

static int same_as_host(uint64_t secs, uint32_t nsec)
{
    struct mirage_tm tm;
    struct tm host;
    time_t t = (time_t)secs;
    mirage_time_to_tm(secs * NS + nsec, &tm);
    gmtime_r(&t, &host);
    return tm.year == host.tm_year + 1900 && tm.month == host.tm_mon + 1 &&
           tm.day == host.tm_mday && tm.hour == host.tm_hour &&
           tm.min == host.tm_min && tm.sec == host.tm_sec && tm.nsec == nsec;
}

TEST(every_day_from_1970_to_2100_matches_gmtime)
{
    /* 2100-12-31 is day 47846; a changing time of day on each. */
    for (uint64_t day = 0; day <= 47846; day++) {
        uint64_t secs = day * 86400 + (day * 7919) % 86400;
        if (!same_as_host(secs, (uint32_t)(day * 12345) % NS)) {
            test_fail(__FILE__, __LINE__, "day %llu differs",
                      (unsigned long long)day);
            return;
        }
    }
}

TEST(random_instants_match_gmtime)
{
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* up to the year 2554, the last one uint64_t ns can hold */
        uint64_t ns = x;
        uint64_t secs = ns / NS;
        if (!same_as_host(secs, (uint32_t)(ns % NS))) {
            test_fail(__FILE__, __LINE__, "%llu s differs",
                      (unsigned long long)secs);
            return;
        }
    }
}

TEST(leap_days_and_year_ends)
{
    struct mirage_tm tm;
    mirage_time_to_tm(951782400ull * NS, &tm); /* 2000-02-29 */
    CHECK(tm.year == 2000 && tm.month == 2 && tm.day == 29);
    mirage_time_to_tm(4107542400ull * NS, &tm); /* 2100-03-01 */
    CHECK(tm.year == 2100 && tm.month == 3 && tm.day == 1);
    mirage_time_to_tm((4107542400ull - 1) * NS, &tm); /* 2100-02-28 */
    CHECK(tm.month == 2 && tm.day == 28 && tm.hour == 23 && tm.sec == 59);
    mirage_time_to_tm(1704067199ull * NS + 999999999, &tm);
    CHECK(tm.year == 2023 && tm.month == 12 && tm.day == 31);
    CHECK_INT(tm.nsec, 999999999);
}

TEST(rfc3339_text)
{
    char buf[32];
    mirage_time_rfc3339(0, buf);
    CHECK_STR(buf, "1970-01-01T00:00:00-00:00");
    mirage_time_rfc3339(1795495419ull * NS + 500, buf);
    CHECK_STR(buf, "2026-11-24T04:43:39-00:00");
    mirage_time_rfc3339(UINT64_MAX, buf);
    CHECK_STR(buf, "2554-07-21T23:34:33-00:00");
}

int main(void)
{
    return test_main();
}
