/* Host files under a root directory for the direct key-value stores
 * (<mirage/hostfs.h>), on raw Linux system calls. Every path is walked from the
 * root's descriptor one segment at a time with O_NOFOLLOW, and the last
 * segment is used through the *at calls without following links. */
#include <mirage/error.h>
#include <mirage/hostfs.h>

#include "../linux/syscall.h"

/* System calls and constants beyond those of syscall.h. */
enum {
    HOSTFS_SYS_ftruncate = 77,
    HOSTFS_SYS_getdents64 = 217,
    HOSTFS_SYS_mkdirat = 258,
    HOSTFS_SYS_newfstatat = 262,
    HOSTFS_SYS_unlinkat = 263,
    HOSTFS_SYS_renameat = 264,
    HOSTFS_SYS_utimensat = 280,
};
#define HOSTFS_O_WRONLY            01
#define HOSTFS_O_CREAT             0100
#define HOSTFS_O_EXCL              0200
#define HOSTFS_O_TRUNC             01000
#define HOSTFS_O_DIRECTORY         0200000
#define HOSTFS_O_NOFOLLOW          0400000
#define HOSTFS_AT_SYMLINK_NOFOLLOW 0x100
#define HOSTFS_AT_REMOVEDIR        0x200
#define HOSTFS_S_IFDIR             0040000
#define HOSTFS_DT_DIR              4
#define HOSTFS_DT_REG              8
#define HOSTFS_DT_UNKNOWN          0
#define HOSTFS_UTIME_OMIT          ((1l << 30) - 2l)

#define SEGMENT_MAX 255

struct hostfs_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;
    char d_name[];
};

/* The MIRAGE_E* code for a (negated) host errno. */
static int host_error(long r)
{
    switch (-r) {
    case LINUX_ENOENT:
    case 40: /* ELOOP: a symbolic link met with O_NOFOLLOW */
        return MIRAGE_ENOENT;
    case LINUX_ENOTDIR:
        return MIRAGE_ENOTDIR;
    case LINUX_EISDIR:
        return MIRAGE_EISDIR;
    case 17: /* EEXIST */
        return MIRAGE_EEXIST;
    case 39: /* ENOTEMPTY */
        return MIRAGE_ENOTEMPTY;
    case 28:  /* ENOSPC */
    case 122: /* EDQUOT */
        return MIRAGE_ENOSPC;
    case 36: /* ENAMETOOLONG */
        return MIRAGE_ENAMETOOLONG;
    case LINUX_EACCES:
    case LINUX_EPERM:
    case LINUX_EROFS:
        return MIRAGE_EROFS;
    case LINUX_ENOMEM:
        return MIRAGE_ENOMEM;
    default:
        return MIRAGE_EIO;
    }
}

static void close_fd(long fd)
{
    linux_syscall1(LINUX_SYS_close, fd);
}

int hostfs_root_open(const char *dir, int *root)
{
    if (!dir || !*dir || !root)
        return MIRAGE_EINVAL;
    long fd =
        linux_syscall3(LINUX_SYS_openat, LINUX_AT_FDCWD, dir,
                       LINUX_O_RDONLY | HOSTFS_O_DIRECTORY | LINUX_O_CLOEXEC);
    if (fd < 0)
        return host_error(fd);
    *root = (int)fd;
    return 0;
}

void hostfs_root_close(int root)
{
    close_fd(root);
}

/* 0 if path is well-formed (see <mirage/hostfs.h>), else MIRAGE_EINVAL or
 * MIRAGE_ENAMETOOLONG. */
static int check_path(const char *p)
{
    if (!p)
        return MIRAGE_EINVAL;
    while (*p) {
        size_t n = 0;
        while (p[n] && p[n] != '/')
            n++;
        if (n == 0 || (n == 1 && p[0] == '.') ||
            (n == 2 && p[0] == '.' && p[1] == '.') ||
            (p[n] == '/' && !p[n + 1]))
            return MIRAGE_EINVAL;
        if (n > SEGMENT_MAX)
            return MIRAGE_ENAMETOOLONG;
        p += p[n] ? n + 1 : n;
    }
    return 0;
}

static int stat_at(long dir, const char *name, struct hostfs_stat *st);

/* Open the directory holding path's last segment and copy that segment
 * into last ("." for the root itself). Returns the directory's descriptor
 * or a MIRAGE_E* code; a parent that is a symbolic link is MIRAGE_ENOENT,
 * one that is a file MIRAGE_ENOTDIR. */
static long open_parent(int root, const char *path, char last[SEGMENT_MAX + 1])
{
    int err = check_path(path);
    if (err)
        return err;
    long dir =
        linux_syscall3(LINUX_SYS_openat, root, ".",
                       LINUX_O_RDONLY | HOSTFS_O_DIRECTORY | LINUX_O_CLOEXEC);
    if (dir < 0)
        return host_error(dir);
    last[0] = '.';
    last[1] = '\0';
    const char *p = path;
    while (*p) {
        size_t n = 0;
        while (p[n] && p[n] != '/')
            n++;
        for (size_t i = 0; i < n; i++)
            last[i] = p[i];
        last[n] = '\0';
        if (!p[n])
            break;
        long next = linux_syscall3(LINUX_SYS_openat, dir, last,
                                   LINUX_O_RDONLY | HOSTFS_O_DIRECTORY |
                                       HOSTFS_O_NOFOLLOW | LINUX_O_CLOEXEC);
        if (next < 0) {
            struct hostfs_stat st;
            err = host_error(next);
            if (err == MIRAGE_ENOTDIR && stat_at(dir, last, &st) != 0)
                err = MIRAGE_ENOENT; /* a link or a special file */
            close_fd(dir);
            return err;
        }
        close_fd(dir);
        dir = next;
        p += n + 1;
    }
    return dir;
}

/* Stat name in dir without following a link: 0, or MIRAGE_ENOENT also
 * for what is neither a regular file nor a directory. */
static int stat_at(long dir, const char *name, struct hostfs_stat *st)
{
    struct linux_stat s;
    long r = linux_syscall4(HOSTFS_SYS_newfstatat, dir, name, &s,
                            HOSTFS_AT_SYMLINK_NOFOLLOW);
    if (r < 0)
        return host_error(r);
    uint32_t fmt = s.st_mode & LINUX_S_IFMT;
    if (fmt != HOSTFS_S_IFDIR && fmt != LINUX_S_IFREG)
        return MIRAGE_ENOENT;
    st->is_dir = fmt == HOSTFS_S_IFDIR;
    st->size = s.st_size > 0 ? (uint64_t)s.st_size : 0;
    st->mtime_ns = s.st_mtim.tv_sec > 0
                       ? (uint64_t)s.st_mtim.tv_sec * 1000000000u +
                             (uint64_t)s.st_mtim.tv_nsec
                       : 0;
    return 0;
}

int hostfs_stat(int root, const char *path, struct hostfs_stat *st)
{
    char last[SEGMENT_MAX + 1];
    long dir = open_parent(root, path, last);
    if (dir < 0)
        return (int)dir;
    int err = stat_at(dir, last, st);
    close_fd(dir);
    return err;
}

/* Open the regular file at path with flags (O_NOFOLLOW added). */
static long open_file(int root, const char *path, long flags)
{
    char last[SEGMENT_MAX + 1];
    long dir = open_parent(root, path, last);
    if (dir < 0)
        return dir;
    /* O_NONBLOCK: opening a FIFO must not hang (it is refused below). */
    long fd = linux_syscall4(
        LINUX_SYS_openat, dir, last,
        flags | HOSTFS_O_NOFOLLOW | LINUX_O_NONBLOCK | LINUX_O_CLOEXEC, 0644);
    int err = fd < 0 ? host_error(fd) : 0;
    if (!err) {
        struct hostfs_stat st;
        err = stat_at(dir, last, &st);
        if (!err && st.is_dir)
            err = MIRAGE_EISDIR;
        if (err)
            close_fd(fd);
    }
    close_fd(dir);
    return err ? err : fd;
}

/* Read up to len bytes of fd from offset, then close fd. */
static int read_close(long fd, uint64_t offset, void *buf, size_t len,
                      size_t *got)
{
    size_t done = 0;
    int err = 0;
    while (done < len) {
        long n = linux_syscall4(LINUX_SYS_pread64, fd, (char *)buf + done,
                                len - done, offset + done);
        if (n == -LINUX_EINTR)
            continue;
        if (n < 0)
            err = host_error(n);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    close_fd(fd);
    *got = done;
    return err;
}

int hostfs_read(int root, const char *path, uint64_t offset, void *buf,
                size_t len, size_t *got)
{
    long fd = open_file(root, path, LINUX_O_RDONLY);
    if (fd < 0)
        return (int)fd;
    return read_close(fd, offset, buf, len, got);
}

int hostfs_read_file(const char *path, void *buf, size_t len, size_t *got)
{
    *got = 0;
    if (!path || !*path)
        return MIRAGE_EINVAL;
    long fd = linux_syscall3(LINUX_SYS_openat, LINUX_AT_FDCWD, path,
                             LINUX_O_RDONLY | LINUX_O_CLOEXEC);
    if (fd < 0)
        return host_error(fd);
    return read_close(fd, 0, buf, len, got);
}

int hostfs_write(int root, const char *path, uint64_t offset, const void *buf,
                 size_t len, bool truncate)
{
    long fd = open_file(root, path,
                        HOSTFS_O_WRONLY | HOSTFS_O_CREAT |
                            (truncate ? HOSTFS_O_TRUNC : 0));
    if (fd < 0)
        return (int)fd;
    size_t done = 0;
    int err = 0;
    while (done < len && !err) {
        long n =
            linux_syscall4(LINUX_SYS_pwrite64, fd, (const char *)buf + done,
                           len - done, offset + done);
        if (n == -LINUX_EINTR)
            continue;
        if (n <= 0)
            err = n < 0 ? host_error(n) : MIRAGE_EIO;
        else
            done += (size_t)n;
    }
    /* A write of nothing past the end still extends the file. */
    if (!err && len == 0) {
        struct linux_stat s;
        long r = linux_syscall2(LINUX_SYS_fstat, fd, &s);
        if (r < 0)
            err = host_error(r);
        else if ((uint64_t)s.st_size < offset &&
                 (r = linux_syscall2(HOSTFS_SYS_ftruncate, fd, offset)) < 0)
            err = host_error(r);
    }
    close_fd(fd);
    return err;
}

int hostfs_create(int root, const char *path, uint64_t size, uint64_t mtime_ns)
{
    long fd =
        open_file(root, path, HOSTFS_O_WRONLY | HOSTFS_O_CREAT | HOSTFS_O_EXCL);
    if (fd < 0)
        return (int)fd;
    long r = linux_syscall2(HOSTFS_SYS_ftruncate, fd, size);
    struct linux_timespec times[2] = {
        {0, HOSTFS_UTIME_OMIT},
        {(int64_t)(mtime_ns / 1000000000u), (int64_t)(mtime_ns % 1000000000u)},
    };
    if (r >= 0)
        r = linux_syscall4(HOSTFS_SYS_utimensat, fd, 0, times, 0);
    close_fd(fd);
    if (r < 0) {
        hostfs_remove(root, path, false);
        return host_error(r);
    }
    return 0;
}

int hostfs_mkdir(int root, const char *path)
{
    char last[SEGMENT_MAX + 1];
    long dir = open_parent(root, path, last);
    if (dir < 0)
        return (int)dir;
    long r = linux_syscall3(HOSTFS_SYS_mkdirat, dir, last, 0755);
    close_fd(dir);
    return r < 0 ? host_error(r) : 0;
}

int hostfs_remove(int root, const char *path, bool is_dir)
{
    if (!*path)
        return MIRAGE_EINVAL; /* not the root itself */
    char last[SEGMENT_MAX + 1];
    long dir = open_parent(root, path, last);
    if (dir < 0)
        return (int)dir;
    long r = linux_syscall3(HOSTFS_SYS_unlinkat, dir, last,
                            is_dir ? HOSTFS_AT_REMOVEDIR : 0);
    close_fd(dir);
    return r < 0 ? host_error(r) : 0;
}

int hostfs_rename(int root, const char *from, const char *to)
{
    if (!*from || !*to)
        return MIRAGE_EINVAL;
    char a[SEGMENT_MAX + 1], b[SEGMENT_MAX + 1];
    long da = open_parent(root, from, a);
    if (da < 0)
        return (int)da;
    long db = open_parent(root, to, b);
    if (db < 0) {
        close_fd(da);
        return (int)db;
    }
    long r = linux_syscall4(HOSTFS_SYS_renameat, da, a, db, b);
    close_fd(da);
    close_fd(db);
    return r < 0 ? host_error(r) : 0;
}

int hostfs_list(int root, const char *path, hostfs_entry_fn fn, void *ctx)
{
    char last[SEGMENT_MAX + 1];
    long dir = open_parent(root, path, last);
    if (dir < 0)
        return (int)dir;
    struct hostfs_stat st;
    int err = stat_at(dir, last, &st);
    if (!err && !st.is_dir)
        err = MIRAGE_ENOTDIR;
    long fd = err ? err
                  : linux_syscall3(LINUX_SYS_openat, dir, last,
                                   LINUX_O_RDONLY | HOSTFS_O_DIRECTORY |
                                       HOSTFS_O_NOFOLLOW | LINUX_O_CLOEXEC);
    if (fd < 0) {
        close_fd(dir);
        return err ? err : host_error(fd);
    }
    _Alignas(8) char buf[4096];
    for (;;) {
        long n = linux_syscall3(HOSTFS_SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0)
                err = host_error(n);
            break;
        }
        for (long off = 0; off < n && !err;) {
            struct hostfs_dirent64 *d = (struct hostfs_dirent64 *)(buf + off);
            off += d->d_reclen;
            const char *name = d->d_name;
            if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
                continue;
            bool is_dir = d->d_type == HOSTFS_DT_DIR;
            if (d->d_type == HOSTFS_DT_UNKNOWN) {
                struct hostfs_stat st;
                if (stat_at(fd, name, &st) != 0)
                    continue;
                is_dir = st.is_dir;
            } else if (d->d_type != HOSTFS_DT_DIR &&
                       d->d_type != HOSTFS_DT_REG) {
                continue;
            }
            err = fn(ctx, name, is_dir);
        }
        if (err)
            break;
    }
    close_fd(fd);
    close_fd(dir);
    return err;
}
