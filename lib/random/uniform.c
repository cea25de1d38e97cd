/* Uniform integers in a range from any random device, by rejection
 * sampling: values below 2^64 mod bound are drawn again, so every result
 * in [0, bound) has the same number of 64-bit preimages (no modulo bias).
 * Fewer than one draw in two is rejected, whatever the bound. */
#include <mirage/plat.h>
#include <mirage/random.h>

/* bound 0 or 1 gives 0. A device that fails to generate stops the
 * unikernel: returning a predictable value would be worse. */
uint64_t mirage_random_uniform(struct mirage_random *r, uint64_t bound)
{
    if (bound <= 1)
        return 0;
    uint64_t reject_below = -bound % bound; /* 2^64 mod bound */
    for (;;) {
        uint64_t x;
        if (mirage_random_generate(r, &x, sizeof x) != 0) {
            static const char msg[] =
                "mirage: random device failed in mirage_random_uniform\n";
            plat_console_write(msg, sizeof msg - 1);
            plat_abort();
        }
        if (x >= reject_below)
            return x % bound;
    }
}
