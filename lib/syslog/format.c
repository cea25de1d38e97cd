/* RFC 5424 syslog messages (syslog.h): the header fields from a log
 * message's level, time, host and source, and the cut to a length. */
#include <mirage/clock.h>
#include <mirage/log.h>
#include <mirage/syslog.h>
#include <stdio.h>
#include <string.h>

/* RFC 5424 §6.2.1: facility user (1), severities by level. */
#define FACILITY_USER 1
static int severity(int level)
{
    switch (level) {
    case MIRAGE_LOG_APP:
        return 5; /* notice */
    case MIRAGE_LOG_ERROR:
        return 3;
    case MIRAGE_LOG_WARNING:
        return 4;
    case MIRAGE_LOG_INFO:
        return 6; /* informational */
    default:
        return 7; /* debug */
    }
}

/* A header field: PRINTUSASCII only (others become '_'), at most max
 * bytes, "-" (the nil value) when empty. */
static size_t field(char *out, const char *s, size_t max)
{
    size_t n = 0;
    for (; s && s[n] && n < max; n++) {
        unsigned char c = (unsigned char)s[n];
        out[n] = c >= 33 && c <= 126 ? (char)c : '_';
    }
    if (n == 0)
        out[n++] = '-';
    out[n] = '\0';
    return n;
}

size_t mirage_syslog_format(char *buf, size_t size, size_t truncate,
                            uint64_t time_ns, const char *hostname,
                            const char *source, int level, const char *msg)
{
    char host[256], app[49];
    field(host, hostname, 255);
    field(app, source, 48);
    struct mirage_tm tm;
    mirage_time_to_tm(time_ns, &tm);
    if (truncate && truncate < size)
        size = truncate + 1; /* snprintf's NUL is not sent */
    int n = snprintf(
        buf, size, "<%d>1 %04d-%02d-%02dT%02d:%02d:%02d.%06uZ %s %s - - - %s",
        FACILITY_USER * 8 + severity(level), tm.year, tm.month, tm.day, tm.hour,
        tm.min, tm.sec, (unsigned)(tm.nsec / 1000), host, app, msg);
    if (n < 0)
        return 0;
    return (size_t)n < size ? (size_t)n : size - 1;
}
