/* The in-memory tar image builder of tar_writer.h. */
#include "tar_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *grow(struct tar_img *t, size_t n)
{
    t->data = realloc(t->data, t->len + n);
    if (!t->data)
        abort();
    memset(t->data + t->len, 0, n);
    t->len += n;
    return t->data + t->len - n;
}

void tw_fix_checksum(struct tar_img *t, size_t at)
{
    unsigned char *h = t->data + at;
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
}

size_t tw_header(struct tar_img *t, const char *name, char type, uint64_t size,
                 uint64_t mtime, const char *link, const char *prefix)
{
    unsigned char *h = grow(t, 512);
    size_t at = t->len - 512;
    memcpy(h, name, strnlen(name, 100));
    memcpy(h + 100, "0000644", 8);
    memcpy(h + 108, "0000000", 8);
    memcpy(h + 116, "0000000", 8);
    snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
    snprintf((char *)h + 136, 12, "%011llo", (unsigned long long)mtime);
    h[156] = (unsigned char)type;
    if (link)
        memcpy(h + 157, link, strnlen(link, 100));
    if (prefix) {
        memcpy(h + 257,
               "ustar\0"
               "00",
               8);
        memcpy(h + 345, prefix, strnlen(prefix, 155));
    } else {
        memcpy(h + 257, "ustar  \0", 8);
    }
    tw_fix_checksum(t, at);
    return at;
}

void tw_data(struct tar_img *t, const void *d, size_t n)
{
    unsigned char *p = grow(t, (n + 511) / 512 * 512);
    memcpy(p, d, n);
}

void tw_file(struct tar_img *t, const char *name, const char *content)
{
    tw_header(t, name, '0', strlen(content), 1700000000, NULL, NULL);
    tw_data(t, content, strlen(content));
}

void tw_pax(struct tar_img *t, char type, const char *records)
{
    tw_header(t, "PaxHeaders/x", type, strlen(records), 0, NULL, "");
    tw_data(t, records, strlen(records));
}

void tw_end(struct tar_img *t)
{
    grow(t, 1024);
}

void tw_free(struct tar_img *t)
{
    free(t->data);
    t->data = NULL;
    t->len = 0;
}
