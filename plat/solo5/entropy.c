/* plat_entropy for the x86_64 Solo5-style targets: the CPU's RDSEED or
 * RDRAND when CPUID reports them (no hypercall or system call exists for
 * entropy in the Solo5 ABI), else PLAT_EUNSPEC. */
#include <mirage/plat.h>

#include <stdbool.h>
#include <stdint.h>

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

#define CPUID1_ECX_RDRAND (1u << 30)
#define CPUID7_EBX_RDSEED (1u << 18)
#define HW_RANDOM_TRIES   32 /* both may transiently run dry */

static bool rdseed(uint64_t *v)
{
    unsigned char ok;
    __asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
    return ok;
}

static bool rdrand(uint64_t *v)
{
    unsigned char ok;
    __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
    return ok;
}

enum plat_result plat_entropy(void *buf, size_t len)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    bool has_seed = false, has_rand;
    if (max_leaf >= 7) {
        cpuid(7, 0, r);
        has_seed = r[1] & CPUID7_EBX_RDSEED;
    }
    cpuid(1, 0, r);
    has_rand = r[2] & CPUID1_ECX_RDRAND;
    if (!has_seed && !has_rand)
        return PLAT_EUNSPEC;
    unsigned char *out = buf;
    while (len > 0) {
        uint64_t v;
        int tries = 0;
        while (!((has_seed && rdseed(&v)) || (has_rand && rdrand(&v)))) {
            if (++tries == HW_RANDOM_TRIES)
                return PLAT_EUNSPEC;
        }
        for (int i = 0; i < 8 && len > 0; i++, len--) {
            *out++ = (unsigned char)v;
            v >>= 8;
        }
    }
    return PLAT_OK;
}
