/* archive: a read-only store over a tar archive on a block device. The
 * archive is scanned once at connect (tar.c) into the shared tree, each
 * value remembering where its bytes lie; reads then go to the device. */
#include <mirage/block.h>
#include <mirage/error.h>
#include <mirage/kv.h>
#include <mirage/log.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv_internal.h"
#include "tar.h"

MIRAGE_LOG_SRC(archive_log, "archive", "tar archive key-value store");

struct archive {
    struct kv_tree_store s;
    struct mirage_block *block;
    unsigned char *sector; /* bounce buffer of one sector */
};

/* Read len bytes at byte offset of the device: whole sectors straight
 * into buf, partial ones through the bounce buffer. */
static int read_bytes(struct archive *a, uint64_t offset, void *buf, size_t len)
{
    uint32_t ss = a->block->info.sector_size;
    unsigned char *p = buf;
    while (len > 0) {
        uint64_t sector = offset / ss;
        size_t skip = (size_t)(offset % ss);
        int err;
        size_t n;
        if (skip == 0 && len >= ss) {
            n = len / ss * ss;
            err = mirage_block_read(a->block, sector, p, n);
        } else {
            n = ss - skip < len ? ss - skip : len;
            err = mirage_block_read(a->block, sector, a->sector, ss);
            if (!err)
                memcpy(p, a->sector + skip, n);
        }
        if (err)
            return err == MIRAGE_ERANGE ? MIRAGE_EBADF : err;
        p += n;
        offset += n;
        len -= n;
    }
    return 0;
}

static int archive_read(struct kv_tree_store *s, const struct kv_node *n,
                        uint64_t offset, void *buf, size_t len)
{
    return read_bytes((struct archive *)s, n->offset + offset, buf, len);
}

static int scan_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
    return read_bytes(ctx, offset, buf, len);
}

/* Index one member: later members replace earlier values of the same
 * name; a file where a directory is (or under a file) is an error. */
static int add_member(void *ctx, const struct tar_member *m, char *msg,
                      size_t msglen)
{
    struct archive *a = ctx;
    struct kv_node *parent, *n;
    int err = kv_tree_walk(&a->s, m->name, true, 0, &parent, &n);
    if (err == MIRAGE_ENOTDIR ||
        (!err && n && n->kind != MIRAGE_KV_VALUE && m->kind != TAR_DIR) ||
        (!err && n && n->kind == MIRAGE_KV_VALUE && m->kind == TAR_DIR)) {
        snprintf(msg, msglen,
                 "tar member '%s' at offset %llu: a file and a directory "
                 "at once",
                 m->name, (unsigned long long)m->header_at);
        return MIRAGE_EBADF;
    }
    if (err)
        return err;
    const struct kv_node *target = NULL;
    if (m->kind == TAR_HARDLINK) {
        target = kv_tree_find(&a->s, m->link);
        if (!target || target->kind != MIRAGE_KV_VALUE) {
            snprintf(msg, msglen,
                     "tar member '%s' at offset %llu: hard link to '%s', "
                     "which is not an earlier file",
                     m->name, (unsigned long long)m->header_at, m->link);
            return MIRAGE_EBADF;
        }
    }
    if (!n) {
        n = kv_tree_add(parent, kv_key_last(m->name),
                        m->kind == TAR_DIR ? MIRAGE_KV_DICTIONARY
                                           : MIRAGE_KV_VALUE,
                        m->mtime_ns);
        if (!n)
            return MIRAGE_ENOMEM;
    }
    n->mtime = m->mtime_ns;
    n->offset = target ? target->offset : m->offset;
    n->size = target ? target->size : m->size;
    return 0;
}

static void archive_release(struct kv_tree_store *s)
{
    struct archive *a = (struct archive *)s;
    free(a->sector);
    free(a);
}

int mirage_kv_ro_connect_archive(struct mirage_kv_ro **out,
                                 struct mirage_block *block)
{
    if (!out || !block)
        return MIRAGE_EINVAL;
    *out = NULL;
    struct archive *a = calloc(1, sizeof *a);
    if (!a)
        return MIRAGE_ENOMEM;
    kv_tree_init(&a->s);
    a->s.read = archive_read;
    a->s.release = archive_release;
    a->block = block;
    a->sector = malloc(block->info.sector_size);
    if (!a->sector) {
        archive_release(&a->s);
        return MIRAGE_ENOMEM;
    }
    char msg[160];
    uint64_t bytes = block->info.sectors * block->info.sector_size;
    int err = tar_scan(scan_read, add_member, a, bytes, msg, sizeof msg);
    if (err) {
        mirage_log_src_err(&archive_log, "%s: %s", block->name, msg);
        mirage_kv_ro_disconnect(&a->s.rw.ro);
        return err;
    }
    *out = &a->s.rw.ro;
    return 0;
}
