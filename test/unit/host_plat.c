/* The parts of the hosted test platforms (fake_plat.c, testnet_plat.c)
 * that are the same in both: the console text buffer (host_plat.h), no
 * block devices, recorded stack guards, and rt_vformat over the host's
 * vasprintf. */
#include "host_plat.h"

#include "../../lib/rt/internal.h"

#include <mirage/plat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool host_text_append(struct host_text *t, const char *s, size_t len)
{
    if (t->len + len + 1 > t->cap) {
        size_t cap = (t->len + len + 1) * 2;
        char *p = realloc(t->buf, cap);
        if (!p)
            return false;
        t->buf = p;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, len);
    t->len += len;
    t->buf[t->len] = '\0';
    return true;
}

void host_text_clear(struct host_text *t)
{
    t->len = 0;
    if (t->buf)
        t->buf[0] = '\0';
}

const char *host_text_get(const struct host_text *t)
{
    return t->buf ? t->buf : "";
}

enum plat_result plat_block_acquire(const char *name, plat_handle *h,
                                    struct plat_block_info *info)
{
    (void)name, (void)h, (void)info;
    return PLAT_EINVAL;
}

enum plat_result plat_block_write(plat_handle h, uint64_t offset,
                                  const void *buf, size_t size)
{
    (void)h, (void)offset, (void)buf, (void)size;
    return PLAT_EINVAL;
}

enum plat_result plat_block_read(plat_handle h, uint64_t offset, void *buf,
                                 size_t size)
{
    (void)h, (void)offset, (void)buf, (void)size;
    return PLAT_EINVAL;
}

int rt_vformat(rt_put_fn put, void *ctx, const char *fmt, va_list ap)
{
    char *s;
    va_list copy;
    va_copy(copy, ap);
    int n = vasprintf(&s, fmt, copy);
    va_end(copy);
    if (n < 0)
        abort();
    put(ctx, s, (size_t)n);
    free(s);
    return n;
}

bool host_guards;
void *host_guarded[HOST_GUARDS_MAX];

enum plat_result plat_stack_guard(void *page, bool guard)
{
    if (!host_guards || ((uintptr_t)page & (PLAT_PAGE_SIZE - 1)))
        return PLAT_EUNSPEC;
    for (size_t i = 0; i < HOST_GUARDS_MAX; i++) {
        if (guard && !host_guarded[i]) {
            host_guarded[i] = page;
            return PLAT_OK;
        }
        if (!guard && host_guarded[i] == page) {
            host_guarded[i] = NULL;
            return PLAT_OK;
        }
    }
    return PLAT_EUNSPEC;
}
