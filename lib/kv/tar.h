/* The tar archive scanner behind the `archive` store: it walks the
 * headers of an archive (ustar, GNU long names and links 'L'/'K', pax
 * extended 'x' and global 'g' headers with path, linkpath, size and
 * mtime) and reports each member. It trusts nothing in the archive. */
#ifndef MIRAGE_LIB_KV_TAR_H
#define MIRAGE_LIB_KV_TAR_H

#include <stddef.h>
#include <stdint.h>

#define TAR_BLOCK 512

enum tar_kind { TAR_FILE, TAR_DIR, TAR_HARDLINK };

/* One member. name (and link) are normalised keys ("./a//b" is "a/b");
 * members naming the root itself ("./") are not reported. The strings
 * live until the callback returns. */
struct tar_member {
    enum tar_kind kind;
    const char *name;
    const char *link;   /* TAR_HARDLINK: the member it repeats */
    uint64_t offset;    /* of the data, in bytes from the archive start */
    uint64_t size;      /* of the data (TAR_FILE) */
    uint64_t mtime_ns;  /* since the epoch */
    uint64_t header_at; /* offset of the member's header, for messages */
};

/* Read len bytes at offset (inside the archive) into buf; 0 or MIRAGE_E*. */
typedef int (*tar_read_fn)(void *ctx, uint64_t offset, void *buf, size_t len);
/* Take one member; 0 to go on, or a MIRAGE_E* code to stop the scan with
 * (having written a message into msg). */
typedef int (*tar_member_fn)(void *ctx, const struct tar_member *m, char *msg,
                             size_t msglen);

/* Scan the archive of `size` bytes from its start to its end-of-archive
 * block (or to its end, if it stops at a header boundary). Symbolic
 * links, devices and FIFOs are skipped. Returns 0, or an error with a
 * message in msg (msglen bytes, NUL-terminated) naming the offset:
 *   MIRAGE_EBADF        truncated header or data, bad checksum, bad
 *                       number field, malformed pax record, ".." in a name
 *   MIRAGE_ENAMETOOLONG a name beyond the kv key limits
 *   MIRAGE_ENOTSUP      GNU sparse or multi-volume members
 *   MIRAGE_ENOMEM, or what read or emit returned. */
int tar_scan(tar_read_fn read, tar_member_fn emit, void *ctx, uint64_t size,
             char *msg, size_t msglen);

#endif
