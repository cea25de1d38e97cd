/* tar_read: reads the value "big.bin" of a tar archive store sequentially
 * in 1 MiB get_partial requests and prints the bytes read, the time taken
 * and the throughput (integer arithmetic: no floating point in a
 * unikernel). */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/kv.h>
#include <mirage/log.h>
#include <stdlib.h>

#define CHUNK (1u << 20)

int tar_read_start(struct mirage_kv_ro *kv)
{
    uint64_t total = 0, sum = 0, start = mirage_now();
    int r;
    for (;;) {
        void *data;
        size_t got;
        r = mirage_kv_ro_get_partial(kv, "big.bin", total, CHUNK, &data, &got);
        if (r != 0)
            break;
        if (got > 0)
            sum += ((unsigned char *)data)[got - 1]; /* touch the data */
        free(data);
        if (got == 0)
            break;
        total += got;
    }
    uint64_t ns = mirage_now() - start;
    if (r != 0) {
        mirage_log_err("read big.bin: %s", mirage_strerror(r));
        return 1;
    }
    uint64_t kib_per_s = ns ? total * 1000000000ull / 1024 / ns : 0;
    mirage_log_app("tar_read: %llu bytes in %llu us: %llu KiB/s (check %llu)",
                   (unsigned long long)total, (unsigned long long)(ns / 1000),
                   (unsigned long long)kib_per_s, (unsigned long long)sum);
    return 0;
}
