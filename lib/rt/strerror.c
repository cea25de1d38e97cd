/* mirage_strerror: the names of the MIRAGE_E* codes (error.h). */
#include <mirage/error.h>

static const char *const messages[] = {
    [-MIRAGE_EOK] = "success",
    [-MIRAGE_EINVAL] = "invalid argument",
    [-MIRAGE_ENOMEM] = "out of memory",
    [-MIRAGE_EIO] = "input/output error",
    [-MIRAGE_ETIMEDOUT] = "timed out",
    [-MIRAGE_ENOENT] = "not found",
    [-MIRAGE_EEXIST] = "already exists",
    [-MIRAGE_ENOTSUP] = "not supported",
    [-MIRAGE_EROFS] = "read-only",
    [-MIRAGE_ENOSPC] = "no space left",
    [-MIRAGE_ECLOSED] = "closed",
    [-MIRAGE_ECONNREFUSED] = "connection refused",
    [-MIRAGE_ECONNRESET] = "connection reset",
    [-MIRAGE_EUNREACH] = "unreachable",
    [-MIRAGE_EINUSE] = "address in use",
    [-MIRAGE_EBADF] = "malformed data",
    [-MIRAGE_ERANGE] = "out of range",
    [-MIRAGE_EISDIR] = "is a directory",
    [-MIRAGE_ENOTDIR] = "not a directory",
    [-MIRAGE_ENOTEMPTY] = "not empty",
    [-MIRAGE_EAGAIN] = "try again",
    [-MIRAGE_ENAMETOOLONG] = "name too long",
    [-MIRAGE_EPROTO] = "protocol error",
    [-MIRAGE_EAUTH] = "authentication failed",
};
_Static_assert(sizeof messages / sizeof *messages == 1 - MIRAGE_ERROR_MIN,
               "every MIRAGE_E* code has a message");

const char *mirage_strerror(int err)
{
    if (err > 0 || err < MIRAGE_ERROR_MIN)
        return "unknown error";
    return messages[-err];
}
