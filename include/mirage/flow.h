/* Flows (MirageOS Mirage_flow.S): a reliable, ordered, two-way byte
 * stream, whatever carries it. A TCP connection (tcp.h) is a flow, and so
 * are the flows of layers built on one (a TLS session, a conduit's
 * connection), so an application written against this interface serves
 * TCP or TLS with one code path.
 *
 * A struct mirage_flow is embedded, first, in each implementation's own
 * flow structure; its operations table gives the implementation.
 *
 * Yielding: read and writev may yield (they block the calling fiber until
 * done or until their deadline, an absolute monotonic time as in fiber.h;
 * MIRAGE_FOREVER for none) and must be called from a fiber. shutdown and
 * close do not yield.
 *
 * Buffers: read copies into the caller's buffer; writev copies from the
 * caller's buffers before returning. The caller keeps them. read_view
 * may instead lend the caller the implementation's own storage (no copy;
 * MirageOS's read returns the stack's buffer the same way).
 *
 * Errors are negative MIRAGE_E* codes; each implementation's header lists
 * those it returns. Common to all:
 *   MIRAGE_ETIMEDOUT  the call's deadline passed (the flow is intact)
 *   MIRAGE_ECLOSED    writing after shutting writing down
 *   MIRAGE_EINVAL     a bad argument (len 0, bad `how`)
 * Once a flow has failed, every later read and write returns the same
 * error. */
#ifndef MIRAGE_FLOW_H
#define MIRAGE_FLOW_H

#include <stddef.h>
#include <stdint.h>

/* One piece of a gathered write. */
struct mirage_iovec {
    const void *base;
    size_t len;
};

/* Shutting down one direction or both. */
enum mirage_flow_shutdown {
    MIRAGE_FLOW_SHUT_READ = 1,  /* reads return 0 (end of stream) */
    MIRAGE_FLOW_SHUT_WRITE = 2, /* end the stream after the queued data */
    MIRAGE_FLOW_SHUT_RDWR = 3,
};

struct mirage_flow;
struct mirage_flow_ops {
    long (*read)(struct mirage_flow *f, void *buf, size_t len,
                 uint64_t deadline);
    /* NULL when the implementation has no storage to lend: read then
     * serves mirage_flow_read_view. */
    long (*read_view)(struct mirage_flow *f, const void **data, void *buf,
                      size_t len, uint64_t deadline);
    long (*writev)(struct mirage_flow *f, const struct mirage_iovec *iov,
                   size_t n, uint64_t deadline);
    int (*shutdown)(struct mirage_flow *f, enum mirage_flow_shutdown how);
    void (*close)(struct mirage_flow *f);
};
struct mirage_flow {
    const struct mirage_flow_ops *ops;
};

/* Read up to len bytes (len > 0) into buf, waiting until some arrive:
 * returns their count, 0 at the end of the stream (the peer ended it, or
 * reading was shut down), or an error. May yield. */
static inline long mirage_flow_read(struct mirage_flow *f, void *buf,
                                    size_t len, uint64_t deadline)
{
    return f->ops->read(f, buf, len, deadline);
}
/* Read as mirage_flow_read does, but without necessarily copying: *data
 * is set to where the count returned of bytes are, either in buf (copied
 * there, as read does) or in the implementation's own storage, lent to
 * the caller until it calls the flow again or yields, whichever comes
 * first; the caller must copy what it keeps longer. *data is set only
 * when the count is above 0. May yield. */
static inline long mirage_flow_read_view(struct mirage_flow *f,
                                         const void **data, void *buf,
                                         size_t len, uint64_t deadline)
{
    if (!f->ops->read_view) {
        *data = buf;
        return f->ops->read(f, buf, len, deadline);
    }
    return f->ops->read_view(f, data, buf, len, deadline);
}
/* Queue the bytes of iov[0..n) for sending, waiting for room as often as
 * needed (any total size). Returns the number of bytes queued: all of
 * them, or fewer when the deadline passed after some were queued; an error
 * when none were (MIRAGE_ETIMEDOUT) or the flow failed. Queued bytes are
 * sent in order; nothing waits for the peer to receive them. May yield. */
static inline long mirage_flow_writev(struct mirage_flow *f,
                                      const struct mirage_iovec *iov, size_t n,
                                      uint64_t deadline)
{
    return f->ops->writev(f, iov, n, deadline);
}
static inline long mirage_flow_write(struct mirage_flow *f, const void *buf,
                                     size_t len, uint64_t deadline)
{
    struct mirage_iovec iov = {buf, len};
    return f->ops->writev(f, &iov, 1, deadline);
}
/* Shut reading, writing or both down. Shutting writing down ends the
 * stream after the queued data; later writes fail with MIRAGE_ECLOSED.
 * Fibers blocked on the flow wake up. 0 or MIRAGE_EINVAL (bad `how`).
 * Does not yield. */
static inline int mirage_flow_shutdown(struct mirage_flow *f,
                                       enum mirage_flow_shutdown how)
{
    return f->ops->shutdown(f, how);
}
/* Close the flow and give it up: queued data is still sent, then the end
 * of the stream; the close finishes in the background. No other fiber may
 * be blocked on the flow (shut it down first: that wakes them). f is
 * invalid afterwards. Does not yield. */
static inline void mirage_flow_close(struct mirage_flow *f)
{
    f->ops->close(f);
}

#endif
