/* Error codes shared by every MirageC interface: calls return 0 (or a
 * count) on success and a negative MIRAGE_E* code on failure. */
#ifndef MIRAGE_ERROR_H
#define MIRAGE_ERROR_H

enum mirage_error {
    MIRAGE_EOK = 0,
    MIRAGE_EINVAL = -1,    /* invalid argument */
    MIRAGE_ENOMEM = -2,    /* out of memory */
    MIRAGE_EIO = -3,       /* device or host I/O failure */
    MIRAGE_ETIMEDOUT = -4, /* deadline passed */
    MIRAGE_ENOENT = -5,    /* no such key, file or device */
    MIRAGE_EEXIST = -6,    /* already exists */
    MIRAGE_ENOTSUP = -7,   /* not supported by this implementation */
    MIRAGE_EROFS = -8,     /* device or store is read-only */
    MIRAGE_ENOSPC = -9,    /* no space left */
    MIRAGE_ECLOSED = -10,  /* flow or device closed */
    MIRAGE_ECONNREFUSED = -11,
    MIRAGE_ECONNRESET = -12,
    MIRAGE_EUNREACH = -13, /* no route / host unreachable */
    MIRAGE_EINUSE = -14,   /* address or port in use */
    MIRAGE_EBADF = -15,    /* malformed data (packet, image, key) */
    MIRAGE_ERANGE = -16,   /* out of range / misaligned */
    MIRAGE_EISDIR = -17,   /* is a dictionary / directory */
    MIRAGE_ENOTDIR = -18,  /* is not a dictionary / directory */
    MIRAGE_ENOTEMPTY = -19,
    MIRAGE_EAGAIN = -20, /* try again */
    MIRAGE_ENAMETOOLONG = -21,
    MIRAGE_EPROTO = -22, /* the peer broke the protocol (e.g. a TLS alert) */
    MIRAGE_EAUTH = -23,  /* authentication failed (certificate rejected) */
};
#define MIRAGE_ERROR_MIN (-23)

/* A static, human-readable name for err (a MIRAGE_E* code). */
const char *mirage_strerror(int err);

#endif
