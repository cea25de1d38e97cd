/* block: writes a pattern over the first sectors of the disk one sector
 * and several sectors at a time, reads it back both ways, checks the
 * requests that must fail (out of range, misaligned, empty), and prints
 * a summary. Exits 0 when everything held, 1 otherwise. */
#include <mirage/block.h>
#include <mirage/error.h>
#include <mirage/log.h>
#include <stdlib.h>
#include <string.h>

#define SECTORS 64 /* how many sectors the test covers (at most) */
#define RUN     8  /* sectors per multi-sector request */

/* The byte i of sector s in the pattern. */
static unsigned char pattern(uint64_t s, size_t i)
{
    return (unsigned char)(s * 31 + i * 7 + (i >> 8));
}

static void fill(unsigned char *buf, uint64_t s, size_t size)
{
    for (size_t i = 0; i < size; i++)
        buf[i] = pattern(s, i);
}

static bool holds(const unsigned char *buf, uint64_t s, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (buf[i] != pattern(s, i))
            return false;
    return true;
}

/* Check one request that must fail with `want`. */
static int expect_error(const char *what, int got, int want)
{
    if (got == want) {
        mirage_log_info("%s: %s, as expected", what, mirage_strerror(got));
        return 1;
    }
    mirage_log_err("%s: got %s, expected %s", what, mirage_strerror(got),
                   mirage_strerror(want));
    return 0;
}

int block_start(struct mirage_block *b)
{
    struct mirage_block_info info = mirage_block_get_info(b);
    mirage_log_info("sectors: %llu, sector size: %u, %s",
                    (unsigned long long)info.sectors, info.sector_size,
                    info.read_write ? "read-write" : "read-only");
    uint64_t n = info.sectors < SECTORS ? info.sectors : SECTORS;
    if (!info.read_write || n < RUN) {
        mirage_log_err("need a writable disk of at least %d sectors", RUN);
        return 1;
    }
    size_t ss = info.sector_size;
    unsigned char *buf = malloc(RUN * ss);
    if (!buf)
        return 1;
    int bad = 0;
    /* One sector at a time for the first half, RUN at a time after. */
    for (uint64_t s = 0; s < n / 2 && !bad; s++) {
        fill(buf, s, ss);
        bad = mirage_block_write(b, s, buf, ss);
    }
    for (uint64_t s = n / 2; s + RUN <= n && !bad; s += RUN) {
        for (uint64_t k = 0; k < RUN; k++)
            fill(buf + k * ss, s + k, ss);
        bad = mirage_block_write(b, s, buf, RUN * ss);
    }
    uint64_t covered = n / 2 + (n - n / 2) / RUN * RUN;
    /* Read back RUN at a time, then one by one. */
    for (uint64_t s = 0; s + RUN <= covered && !bad; s += RUN) {
        bad = mirage_block_read(b, s, buf, RUN * ss);
        for (uint64_t k = 0; k < RUN && !bad; k++)
            bad = !holds(buf + k * ss, s + k, ss);
    }
    for (uint64_t s = 0; s < covered && !bad; s++)
        bad = mirage_block_read(b, s, buf, ss) || !holds(buf, s, ss);
    if (bad) {
        mirage_log_err("the sectors did not read back as written");
        free(buf);
        return 1;
    }
    int seen = 0;
    seen += expect_error("read past the end",
                         mirage_block_read(b, info.sectors, buf, ss),
                         MIRAGE_ERANGE);
    seen += expect_error("write across the end",
                         mirage_block_write(b, info.sectors - 1, buf, 2 * ss),
                         MIRAGE_ERANGE);
    seen += expect_error("misaligned read",
                         mirage_block_read(b, 0, buf, ss / 2), MIRAGE_ERANGE);
    seen += expect_error("empty write", mirage_block_write(b, 0, buf, 0),
                         MIRAGE_ERANGE);
    free(buf);
    mirage_log_app("block: %llu sectors written and read back, %d of 4 "
                   "expected failures",
                   (unsigned long long)covered, seen);
    return seen == 4 ? 0 : 1;
}
