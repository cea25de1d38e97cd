/* default_random, rng and mirage_random_uniform (lib/random/random.c,
 * rng.c, uniform.c) on a fake platform: host entropy used directly when
 * the platform has it, the Fortuna path when it has none, requests larger
 * than Fortuna's limit, bad arguments; rng always drawing from Fortuna
 * and fed every second by its fiber; uniform's rejection sampling,
 * distribution and failure handling. */
#include <mirage/clock.h>
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/plat.h>
#include <mirage/random.h>
#include <mirage/time.h>
#include <setjmp.h>
#include <stdlib.h>

#include "test.h"

/* The fake platform. */
static bool have_entropy = true;
static uint64_t fake_ns = 1000;
static char console[256];
static jmp_buf on_abort;

static int entropy_calls;

enum plat_result plat_entropy(void *buf, size_t len)
{
    entropy_calls++;
    if (!have_entropy)
        return PLAT_EUNSPEC;
    memset(buf, 0xab, len);
    return PLAT_OK;
}

uint64_t plat_clock_monotonic(void)
{
    fake_ns += 1000 + (fake_ns * 7919) % 13; /* a little "jitter" */
    return fake_ns;
}

uint64_t plat_clock_wall(void)
{
    return 1700000000ull * 1000000000ull;
}

void plat_console_write(const char *buf, size_t len)
{
    snprintf(console, sizeof console, "%.*s", (int)len, buf);
}

_Noreturn void plat_abort(void)
{
    longjmp(on_abort, 1);
}

static int all_bytes(const uint8_t *p, size_t len, uint8_t v)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

TEST(connect_is_idempotent)
{
    struct mirage_random *a, *b;
    CHECK_INT(mirage_random_connect_default(&a), 0);
    CHECK_INT(mirage_random_connect_default(&b), 0);
    CHECK(a == b);
}

TEST(platform_entropy_is_used_when_present)
{
    struct mirage_random *r;
    uint8_t buf[100];
    have_entropy = true;
    CHECK_INT(mirage_random_connect_default(&r), 0);
    CHECK_INT(mirage_random_generate(r, buf, sizeof buf), 0);
    CHECK(all_bytes(buf, sizeof buf, 0xab));
}

TEST(fortuna_serves_when_platform_has_no_entropy)
{
    struct mirage_random *r;
    uint8_t a[64] = {0}, b[64] = {0};
    have_entropy = false;
    CHECK_INT(mirage_random_connect_default(&r), 0);
    CHECK_INT(mirage_random_generate(r, a, sizeof a), 0);
    CHECK_INT(mirage_random_generate(r, b, sizeof b), 0);
    have_entropy = true;
    CHECK(!all_bytes(a, sizeof a, 0xab));
    CHECK(!all_bytes(a, sizeof a, 0));
    CHECK(memcmp(a, b, sizeof a) != 0);
}

/* Requests above Fortuna's 1 MiB are served in pieces, each new. */
TEST(large_requests_without_platform_entropy)
{
    struct mirage_random *r;
    size_t mib = 1 << 20, len = 3 * mib + 5;
    uint8_t *buf = calloc(1, len);
    CHECK(buf != NULL);
    have_entropy = false;
    CHECK_INT(mirage_random_connect_default(&r), 0);
    int err = mirage_random_generate(r, buf, len);
    have_entropy = true;
    int distinct = memcmp(buf, buf + mib, 32) != 0 &&
                   memcmp(buf + mib, buf + 2 * mib, 32) != 0 &&
                   !all_bytes(buf + 3 * mib, 5, 0);
    free(buf);
    CHECK_INT(err, 0);
    CHECK(distinct);
}

TEST(bad_arguments)
{
    struct mirage_random *r;
    CHECK_INT(mirage_random_connect_default(&r), 0);
    CHECK_INT(mirage_random_generate(r, NULL, 4), MIRAGE_EINVAL);
    CHECK_INT(mirage_random_generate(r, NULL, 0), 0);
    have_entropy = false;
    CHECK_INT(mirage_random_generate(r, NULL, 4), MIRAGE_EINVAL);
    CHECK_INT(mirage_random_generate(r, NULL, 0), 0);
    have_entropy = true;
}

/* ---- rng ---------------------------------------------------------------- */

/* Fibers: rng's feeder is kept to be run by hand. */
static mirage_fiber_fn spawned;
static void *spawned_arg;
struct mirage_fiber *mirage_fiber_spawn(mirage_fiber_fn fn, void *arg,
                                        size_t stack_size)
{
    (void)stack_size;
    spawned = fn;
    spawned_arg = arg;
    return (struct mirage_fiber *)&spawned;
}
void mirage_fiber_detach(struct mirage_fiber *f)
{
    (void)f;
}

/* A time device whose third sleep ends the feeder (longjmp). */
static int sleeps;
static uint64_t slept;
static jmp_buf stop_feeder;
static void fake_sleep(struct mirage_time *t, uint64_t ns)
{
    (void)t;
    slept = ns;
    if (++sleeps == 3)
        longjmp(stop_feeder, 1);
}
static const struct mirage_time_ops fake_time_ops = {.sleep_ns = fake_sleep};
static struct mirage_time fake_time = {&fake_time_ops};

static uint64_t mclock_reads;
static uint64_t fake_elapsed(struct mirage_mclock *c)
{
    (void)c;
    return ++mclock_reads * 1000000;
}
static const struct mirage_mclock_ops fake_mclock_ops = {.elapsed_ns =
                                                             fake_elapsed};
static struct mirage_mclock fake_mclock = {&fake_mclock_ops};

/* Devices live until exit. */
static struct mirage_random *rng_a, *rng_b;

TEST(rng_draws_from_fortuna_only)
{
    uint8_t x[64], y[64];
    have_entropy = true;
    CHECK_INT(mirage_random_connect_rng(&rng_a, NULL, &fake_mclock), 0);
    CHECK(spawned == NULL); /* no time device: no feeder */
    CHECK_INT(mirage_random_generate(rng_a, x, sizeof x), 0);
    CHECK_INT(mirage_random_generate(rng_a, y, sizeof y), 0);
    /* not the platform's bytes, and never the same twice */
    CHECK(!all_bytes(x, sizeof x, 0xab) && !all_bytes(y, sizeof y, 0xab));
    CHECK(memcmp(x, y, sizeof x) != 0);
    CHECK(mclock_reads > 0); /* requests read the given clock */
    CHECK_INT(mirage_random_generate(rng_a, NULL, 1), MIRAGE_EINVAL);
}

TEST(rng_is_fed_every_second)
{
    uint8_t x[32];
    CHECK_INT(mirage_random_connect_rng(&rng_b, &fake_time, NULL), 0);
    CHECK(rng_b != rng_a);
    CHECK(spawned != NULL && spawned_arg != NULL);
    int before = entropy_calls;
    sleeps = 0;
    if (setjmp(stop_feeder) == 0)
        spawned(spawned_arg);
    CHECK_INT(sleeps, 3);
    CHECK(slept == MIRAGE_SEC(1));
    CHECK_INT(entropy_calls - before, 2); /* one feeding a second */
    CHECK_INT(mirage_random_generate(rng_b, x, sizeof x), 0);
}

/* A device returning scripted 64-bit values, or failing when empty. */
static uint64_t script[4];
static int script_len, script_pos;
static int scripted(struct mirage_random *r, void *buf, size_t len)
{
    (void)r;
    if (len != sizeof(uint64_t) || script_pos >= script_len)
        return MIRAGE_EIO;
    memcpy(buf, &script[script_pos++], len);
    return 0;
}
static const struct mirage_random_ops scripted_ops = {.generate = scripted};
static struct mirage_random scripted_dev = {&scripted_ops};

static void set_script(int n, const uint64_t *values)
{
    for (int i = 0; i < n; i++)
        script[i] = values[i];
    script_len = n;
    script_pos = 0;
}

/* For bound 10, 2^64 mod 10 = 6: draws below 6 are biased and retried. */
TEST(uniform_rejects_the_biased_range)
{
    set_script(3, (uint64_t[]){0, 5, 6});
    CHECK_INT(mirage_random_uniform(&scripted_dev, 10), 6);
    CHECK_INT(script_pos, 3);

    uint64_t bound = (1ull << 63) + 1; /* 2^64 mod bound = 2^63 - 1 */
    set_script(2, (uint64_t[]){(1ull << 63) - 2, UINT64_MAX});
    CHECK(mirage_random_uniform(&scripted_dev, bound) == (1ull << 63) - 2);
    CHECK_INT(script_pos, 2);

    set_script(1, (uint64_t[]){12345});
    CHECK_INT(mirage_random_uniform(&scripted_dev, 1ull << 32), 12345);
}

TEST(uniform_trivial_bounds_draw_nothing)
{
    set_script(0, NULL);
    CHECK_INT(mirage_random_uniform(&scripted_dev, 0), 0);
    CHECK_INT(mirage_random_uniform(&scripted_dev, 1), 0);
}

TEST(uniform_aborts_when_the_device_fails)
{
    set_script(0, NULL);
    console[0] = 0;
    if (setjmp(on_abort) == 0) {
        mirage_random_uniform(&scripted_dev, 10);
        CHECK(!"uniform returned despite a failing device");
    }
    CHECK(strstr(console, "random device failed") != NULL);
}

/* Every value of a small range, in proportion (the generator is
 * deterministic here, so the generous bound cannot be flaky). */
TEST(uniform_distribution)
{
    struct mirage_random *r;
    int counts[6] = {0};
    have_entropy = false;
    CHECK_INT(mirage_random_connect_default(&r), 0);
    for (int i = 0; i < 60000; i++) {
        uint64_t v = mirage_random_uniform(r, 6);
        CHECK(v < 6);
        counts[v]++;
    }
    have_entropy = true;
    for (int v = 0; v < 6; v++)
        CHECK(counts[v] > 9400 && counts[v] < 10600);
}

int main(void)
{
    return test_main();
}
