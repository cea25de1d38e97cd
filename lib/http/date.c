/* HTTP dates (RFC 9110 §5.6.7): IMF-fixdate out; IMF-fixdate, RFC 850
 * and asctime in. Integer arithmetic only. */
#include <mirage/clock.h>
#include <mirage/error.h>
#include <mirage/http.h>
#include <string.h>

static const char days[] = "ThuFriSatSunMonTueWed"; /* 1970-01-01: Thu */
static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

static char *put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

void mirage_http_date_format(uint64_t ns, char *buf)
{
    struct mirage_tm tm;
    mirage_time_to_tm(ns, &tm);
    uint64_t day = ns / 1000000000u / 86400u;
    char *p = buf;
    memcpy(p, days + day % 7 * 3, 3);
    p += 3;
    *p++ = ',';
    *p++ = ' ';
    p = put2(p, tm.day);
    *p++ = ' ';
    memcpy(p, months + (tm.month - 1) * 3, 3);
    p += 3;
    *p++ = ' ';
    p = put2(p, tm.year / 100);
    p = put2(p, tm.year % 100);
    *p++ = ' ';
    p = put2(p, tm.hour);
    *p++ = ':';
    p = put2(p, tm.min);
    *p++ = ':';
    p = put2(p, tm.sec);
    memcpy(p, " GMT", 5);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian, y >= 1970). */
static uint64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    uint64_t era = (uint64_t)y / 400;
    uint64_t yoe = (uint64_t)y - era * 400;
    uint64_t doy =
        (uint64_t)(153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + (uint64_t)d - 1;
    uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* n digits at *s: the value, or -1. Advances *s. */
static int digits(const char **s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*s)++) {
        if (**s < '0' || **s > '9')
            return -1;
        v = v * 10 + (**s - '0');
    }
    return v;
}

static int month(const char **s)
{
    for (int i = 0; i < 12; i++)
        if (strncmp(*s, months + i * 3, 3) == 0) {
            *s += 3;
            return i + 1;
        }
    return -1;
}

static bool lit(const char **s, const char *l)
{
    size_t n = strlen(l);
    if (strncmp(*s, l, n) != 0)
        return false;
    *s += n;
    return true;
}

/* "HH:MM:SS" */
static bool clock_time(const char **s, int *h, int *mi, int *sec)
{
    *h = digits(s, 2);
    if (*h < 0 || !lit(s, ":"))
        return false;
    *mi = digits(s, 2);
    if (*mi < 0 || !lit(s, ":"))
        return false;
    *sec = digits(s, 2);
    return *sec >= 0;
}

int mirage_http_date_parse(const char *s, uint64_t *secs)
{
    const char *comma = strchr(s, ',');
    int y, m, d, h, mi, sec;
    if (comma && comma - s == 3) {
        /* Sun, 06 Nov 1994 08:49:37 GMT */
        s = comma + 1;
        if (!lit(&s, " ") || (d = digits(&s, 2)) < 0 || !lit(&s, " ") ||
            (m = month(&s)) < 0 || !lit(&s, " ") || (y = digits(&s, 4)) < 0 ||
            !lit(&s, " ") || !clock_time(&s, &h, &mi, &sec) ||
            !lit(&s, " GMT") || *s)
            return MIRAGE_EINVAL;
    } else if (comma) {
        /* Sunday, 06-Nov-94 08:49:37 GMT: two-digit years below 70 are
         * in this century (RFC 9110 §5.6.7 asks for 50 years ahead). */
        s = comma + 1;
        if (!lit(&s, " ") || (d = digits(&s, 2)) < 0 || !lit(&s, "-") ||
            (m = month(&s)) < 0 || !lit(&s, "-") || (y = digits(&s, 2)) < 0 ||
            !lit(&s, " ") || !clock_time(&s, &h, &mi, &sec) ||
            !lit(&s, " GMT") || *s)
            return MIRAGE_EINVAL;
        y += y < 70 ? 2000 : 1900;
    } else {
        /* Sun Nov  6 08:49:37 1994 */
        if (strlen(s) < 4)
            return MIRAGE_EINVAL;
        s += 3;
        if (!lit(&s, " ") || (m = month(&s)) < 0 || !lit(&s, " "))
            return MIRAGE_EINVAL;
        if (*s == ' ')
            s++, d = digits(&s, 1);
        else
            d = digits(&s, 2);
        if (d < 0 || !lit(&s, " ") || !clock_time(&s, &h, &mi, &sec) ||
            !lit(&s, " ") || (y = digits(&s, 4)) < 0 || *s)
            return MIRAGE_EINVAL;
    }
    if (y < 1970 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return MIRAGE_EINVAL;
    *secs = days_from_civil(y, m, d) * 86400u + (uint64_t)h * 3600u +
            (uint64_t)mi * 60u + (uint64_t)sec;
    return 0;
}
