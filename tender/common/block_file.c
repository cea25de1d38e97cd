/* Opening block files for block devices. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender.h"

int tender_block_open(const char *path, uint64_t sector_size, int *fd,
                      uint64_t *capacity, char *err)
{
    if (sector_size == 0)
        sector_size = TENDER_SECTOR_DEFAULT;
    if (sector_size < 512 || sector_size > 32768 ||
        (sector_size & (sector_size - 1)) != 0)
        return tender_errf(err, "block %s: bad sector size %llu", path,
                           (unsigned long long)sector_size);
    int f = open(path, O_RDWR | O_CLOEXEC);
    if (f < 0)
        return tender_errf(err, "block %s: %s", path, strerror(errno));
    struct stat st;
    uint64_t cap = 0;
    if (fstat(f, &st) < 0) {
        int e = errno;
        close(f);
        return tender_errf(err, "block %s: %s", path, strerror(e));
    }
    if (S_ISREG(st.st_mode)) {
        cap = (uint64_t)st.st_size;
    } else if (!S_ISBLK(st.st_mode) || ioctl(f, BLKGETSIZE64, &cap) < 0) {
        close(f);
        return tender_errf(err,
                           "block %s: not a regular file or block "
                           "device",
                           path);
    }
    if (cap == 0 || cap % sector_size != 0) {
        close(f);
        return tender_errf(err,
                           "block %s: size %llu is not a positive "
                           "multiple of the sector size %llu",
                           path, (unsigned long long)cap,
                           (unsigned long long)sector_size);
    }
    *fd = f;
    *capacity = cap;
    return 0;
}
