/* errno (<errno.h>) and strerror (<string.h>) for the errno values. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int errno_value;

int *__errno_location(void)
{
    return &errno_value;
}

static const char *const messages[] = {
    [0] = "success",
    [EPERM] = "operation not permitted",
    [ENOENT] = "no such file or directory",
    [EINTR] = "interrupted",
    [EIO] = "input/output error",
    [EBADF] = "bad file descriptor",
    [EAGAIN] = "resource temporarily unavailable",
    [ENOMEM] = "out of memory",
    [EACCES] = "permission denied",
    [EFAULT] = "bad address",
    [EBUSY] = "device or resource busy",
    [EEXIST] = "file exists",
    [ENODEV] = "no such device",
    [ENOTDIR] = "not a directory",
    [EISDIR] = "is a directory",
    [EINVAL] = "invalid argument",
    [ENOSPC] = "no space left on device",
    [EROFS] = "read-only file system",
    [EPIPE] = "broken pipe",
    [EDOM] = "argument out of domain",
    [ERANGE] = "result out of range",
    [ENAMETOOLONG] = "file name too long",
    [ENOSYS] = "function not implemented",
    [ENOTEMPTY] = "directory not empty",
    [EOVERFLOW] = "value too large",
    [EILSEQ] = "invalid byte sequence",
    [EMSGSIZE] = "message too long",
    [EOPNOTSUPP] = "operation not supported",
    [EADDRINUSE] = "address already in use",
    [EADDRNOTAVAIL] = "address not available",
    [ENETUNREACH] = "network unreachable",
    [ECONNABORTED] = "connection aborted",
    [ECONNRESET] = "connection reset by peer",
    [ENOTCONN] = "not connected",
    [ETIMEDOUT] = "timed out",
    [ECONNREFUSED] = "connection refused",
    [EHOSTUNREACH] = "host unreachable",
    [EINPROGRESS] = "operation in progress",
    [ECANCELED] = "operation canceled",
};

char *strerror(int err)
{
    static char unknown[24];
    if (err >= 0 && (size_t)err < sizeof messages / sizeof messages[0] &&
        messages[err])
        return (char *)messages[err];
    snprintf(unknown, sizeof unknown, "error %d", err);
    return unknown;
}
