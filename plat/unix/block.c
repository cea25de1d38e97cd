/* Block devices on unix: a file or a host block device, read and written
 * one 512-byte block at a time with pread/pwrite. A file that cannot be
 * opened for writing is offered read-only. The capacity is the size
 * rounded down to whole blocks: a partial last block is not addressable. */
#include <mirage/plat.h>

#include "../linux/syscall.h"
#include "unix.h"

#define BLOCK_SIZE 512

/* The size in bytes of the open file or block device, or -errno. */
static long long device_size(long fd, const struct linux_stat *st)
{
    if ((st->st_mode & LINUX_S_IFMT) == LINUX_S_IFREG)
        return st->st_size;
    if ((st->st_mode & LINUX_S_IFMT) == LINUX_S_IFBLK) {
        uint64_t size = 0;
        long r = linux_syscall3(LINUX_SYS_ioctl, fd, LINUX_BLKGETSIZE64, &size);
        return r < 0 ? r : (long long)size;
    }
    return -LINUX_EINVAL; /* directories, pipes, character devices */
}

enum plat_result plat_block_acquire(const char *name, plat_handle *h,
                                    struct plat_block_info *info)
{
    if (!name || !*name || !h || !info)
        return PLAT_EINVAL;
    plat_handle slot;
    struct unix_dev *d = unix_dev_alloc(&slot);
    if (!d)
        return PLAT_EUNSPEC;

    bool read_only = false;
    long fd = linux_syscall3(LINUX_SYS_openat, LINUX_AT_FDCWD, name,
                             LINUX_O_RDWR | LINUX_O_CLOEXEC);
    if (fd == -LINUX_EACCES || fd == -LINUX_EROFS || fd == -LINUX_EPERM) {
        read_only = true;
        fd = linux_syscall3(LINUX_SYS_openat, LINUX_AT_FDCWD, name,
                            LINUX_O_RDONLY | LINUX_O_CLOEXEC);
    }
    if (fd == -LINUX_ENOENT || fd == -LINUX_ENOTDIR || fd == -LINUX_EISDIR)
        return PLAT_EINVAL; /* no such file, or not one */
    if (fd < 0)
        return PLAT_EUNSPEC;

    struct linux_stat st;
    long long size = -LINUX_EIO;
    if (linux_syscall2(LINUX_SYS_fstat, fd, &st) == 0)
        size = device_size(fd, &st);
    if (size < 0) {
        linux_syscall1(LINUX_SYS_close, fd);
        return size == -LINUX_EINVAL ? PLAT_EINVAL : PLAT_EUNSPEC;
    }
    for (int i = 0; i < PLAT_MAX_DEVICES; i++) {
        if (unix_devs[i].kind == UNIX_DEV_BLOCK &&
            unix_devs[i].block.st_dev == st.st_dev &&
            unix_devs[i].block.st_ino == st.st_ino) {
            linux_syscall1(LINUX_SYS_close, fd);
            return PLAT_EINVAL; /* already acquired */
        }
    }

    d->kind = UNIX_DEV_BLOCK;
    d->fd = (int)fd;
    d->block.st_dev = st.st_dev;
    d->block.st_ino = st.st_ino;
    d->block.info = (struct plat_block_info){
        .capacity = (uint64_t)size / BLOCK_SIZE * BLOCK_SIZE,
        .block_size = BLOCK_SIZE,
        .read_only = read_only,
    };
    *h = slot;
    *info = d->block.info;
    return PLAT_OK;
}

/* The device if (h, offset, buf, size) names exactly one whole block
 * inside it, else NULL. */
static struct unix_dev *block_check(plat_handle h, uint64_t offset,
                                    const void *buf, size_t size)
{
    struct unix_dev *d = unix_dev_get(h, UNIX_DEV_BLOCK);
    if (!d || !buf || size != d->block.info.block_size ||
        offset % d->block.info.block_size != 0 ||
        offset >= d->block.info.capacity ||
        d->block.info.capacity - offset < size)
        return NULL;
    return d;
}

/* Transfer size bytes at offset with pread (write = false) or pwrite. */
static enum plat_result transfer(struct unix_dev *d, bool write,
                                 uint64_t offset, void *buf, size_t size)
{
    unsigned char *p = buf;
    while (size > 0) {
        long n = linux_syscall4(write ? LINUX_SYS_pwrite64 : LINUX_SYS_pread64,
                                d->fd, p, size, offset);
        if (n == -LINUX_EINTR)
            continue;
        if (n <= 0)
            return PLAT_EUNSPEC; /* I/O error, or the file shrank */
        p += n;
        size -= (size_t)n;
        offset += (uint64_t)n;
    }
    return PLAT_OK;
}

/* A write to a read-only device is PLAT_EINVAL, like any request the
 * device cannot take. */
enum plat_result plat_block_write(plat_handle h, uint64_t offset,
                                  const void *buf, size_t size)
{
    struct unix_dev *d = block_check(h, offset, buf, size);
    if (!d || d->block.info.read_only)
        return PLAT_EINVAL;
    /* transfer() only reads the buffer when writing. */
    return transfer(d, true, offset, (void *)buf, size);
}

enum plat_result plat_block_read(plat_handle h, uint64_t offset, void *buf,
                                 size_t size)
{
    struct unix_dev *d = block_check(h, offset, buf, size);
    if (!d)
        return PLAT_EINVAL;
    return transfer(d, false, offset, buf, size);
}
