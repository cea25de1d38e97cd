/* fat_read: reads the file "big.bin" of a FAT filesystem sequentially in
 * 1 MiB requests and prints the bytes read, the time taken and the
 * throughput (integer arithmetic: no floating point in a unikernel). */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/fs.h>
#include <mirage/log.h>
#include <stdlib.h>

#define CHUNK (1u << 20)

int fat_read_start(struct mirage_fs *fs)
{
    char *buf = malloc(CHUNK);
    if (!buf)
        return 1;
    uint64_t total = 0, sum = 0, start = mirage_now();
    size_t got;
    int r;
    while ((r = mirage_fs_read(fs, "big.bin", total, buf, CHUNK, &got)) == 0 &&
           got > 0) {
        sum += (unsigned char)buf[got - 1]; /* touch the data */
        total += got;
    }
    uint64_t ns = mirage_now() - start;
    free(buf);
    if (r != 0) {
        mirage_log_err("read big.bin: %s", mirage_strerror(r));
        return 1;
    }
    uint64_t kib_per_s = ns ? total * 1000000000ull / 1024 / ns : 0;
    mirage_log_app("fat_read: %llu bytes in %llu us: %llu KiB/s (check %llu)",
                   (unsigned long long)total, (unsigned long long)(ns / 1000),
                   (unsigned long long)kib_per_s, (unsigned long long)sum);
    return 0;
}
