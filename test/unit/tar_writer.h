/* Building tar images in memory for the archive tests, header field by
 * header field, so tests can also make them wrong on purpose. */
#ifndef MIRAGE_TEST_TAR_WRITER_H
#define MIRAGE_TEST_TAR_WRITER_H

#include <stddef.h>
#include <stdint.h>

struct tar_img {
    unsigned char *data; /* malloc'd; len bytes, a multiple of 512 */
    size_t len;
};

/* A header block: name (at most 100 bytes), type, size written as octal,
 * mtime in seconds, link name, and the ustar prefix (NULL: none; the
 * magic is POSIX "ustar\0" when given, GNU "ustar  " otherwise). The
 * checksum is computed. Returns the header's offset. */
size_t tw_header(struct tar_img *t, const char *name, char type, uint64_t size,
                 uint64_t mtime, const char *link, const char *prefix);
/* n data bytes, padded with zeros to a whole block. */
void tw_data(struct tar_img *t, const void *d, size_t n);
/* A regular file: header plus data. */
void tw_file(struct tar_img *t, const char *name, const char *content);
/* A pax header of this type ('x' or 'g') holding the text (records). */
void tw_pax(struct tar_img *t, char type, const char *records);
/* The end-of-archive marker: two zero blocks. */
void tw_end(struct tar_img *t);
/* Recompute the checksum of the header at offset at (after edits). */
void tw_fix_checksum(struct tar_img *t, size_t at);
void tw_free(struct tar_img *t);

#endif
