/* disk-lottery: each boot draws six different numbers from 1 to 49 and
 * keeps the series on the disk, so the next boot continues it. Sector 0
 * holds the state: a magic word, the number of draws so far, the
 * generator's state, the last 8 draws and a checksum. A blank disk (or --reset)
 * starts a series from --seed; a damaged state sector is an error, never
 * silently replaced. */
#include <mirage/block.h>
#include <mirage/error.h>
#include <mirage/log.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC   0x59524554544f4c4dull /* "MLOTTERY" */
#define PICKS   6
#define HISTORY 8

struct state {
    uint64_t magic;
    uint64_t draws;
    uint64_t rng;
    uint8_t history[HISTORY][PICKS]; /* most recent first */
    uint64_t check;                  /* FNV-1a of the bytes before it */
};

static uint64_t fnv1a(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

/* xorshift64*: the series is the same on every target. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

static void draw(uint64_t *rng, uint8_t out[PICKS])
{
    for (int i = 0; i < PICKS; i++) {
        bool again;
        do {
            out[i] = (uint8_t)(next(rng) % 49 + 1);
            again = false;
            for (int j = 0; j < i; j++)
                again |= out[j] == out[i];
        } while (again);
    }
}

static void show(const char *what, const uint8_t d[PICKS])
{
    mirage_log_app("%s %2u %2u %2u %2u %2u %2u", what, d[0], d[1], d[2], d[3],
                   d[4], d[5]);
}

int lottery_start(struct mirage_block *b)
{
    struct mirage_block_info info = mirage_block_get_info(b);
    if (!info.read_write || info.sector_size < sizeof(struct state)) {
        mirage_log_err("need a writable disk with sectors of at least %zu "
                       "bytes",
                       sizeof(struct state));
        return 1;
    }
    unsigned char *sector = calloc(1, info.sector_size);
    if (!sector)
        return 1;
    struct state st;
    int err = mirage_block_read(b, 0, sector, info.sector_size);
    memcpy(&st, sector, sizeof st);
    if (err) {
        mirage_log_err("cannot read the state: %s", mirage_strerror(err));
        free(sector);
        return 1;
    }
    bool blank = true;
    for (size_t i = 0; i < sizeof st; i++)
        blank &= sector[i] == 0;
    if (blank || mirage_arg_reset()) {
        memset(&st, 0, sizeof st);
        st.magic = MAGIC;
        st.rng = (uint64_t)mirage_arg_seed() * 0x9e3779b97f4a7c15ull + 1;
        mirage_log_app("a new series from seed %lld",
                       (long long)mirage_arg_seed());
    } else if (st.magic != MAGIC ||
               st.check != fnv1a(&st, offsetof(struct state, check))) {
        mirage_log_err("the disk holds something else, or a damaged "
                       "state: use --reset to start over");
        free(sector);
        return 1;
    }
    uint8_t d[PICKS];
    draw(&st.rng, d);
    st.draws++;
    memmove(st.history[1], st.history[0], (HISTORY - 1) * PICKS);
    memcpy(st.history[0], d, PICKS);
    st.check = fnv1a(&st, offsetof(struct state, check));
    memset(sector, 0, info.sector_size);
    memcpy(sector, &st, sizeof st);
    err = mirage_block_write(b, 0, sector, info.sector_size);
    free(sector);
    if (err) {
        mirage_log_err("cannot write the state: %s", mirage_strerror(err));
        return 1;
    }
    mirage_log_app("draw %llu:", (unsigned long long)st.draws);
    show("  numbers:", d);
    for (uint64_t i = 1; i < HISTORY && i < st.draws; i++)
        show("  before: ", st.history[i]);
    return 0;
}
