/* Dictionary listings (struct mirage_kv_list): building, sorting and
 * freeing them. */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdlib.h>
#include <string.h>

#include "kv_internal.h"

void mirage_kv_list_free(struct mirage_kv_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        free(l->entries[i].key);
    free(l->entries);
    l->entries = NULL;
    l->count = 0;
}

int kv_list_add(struct mirage_kv_list *l, const char *dir, const char *name,
                enum mirage_kv_kind kind)
{
    /* Grow by doubling: the capacity is the next power of two. */
    if ((l->count & (l->count - 1)) == 0) {
        size_t cap = l->count ? l->count * 2 : 4;
        if (cap > SIZE_MAX / sizeof *l->entries)
            return MIRAGE_ENOMEM;
        struct mirage_kv_entry *e =
            realloc(l->entries, cap * sizeof *l->entries);
        if (!e)
            return MIRAGE_ENOMEM;
        l->entries = e;
    }
    char *key = kv_key_join(dir, name);
    if (!key)
        return MIRAGE_ENOMEM;
    l->entries[l->count++] = (struct mirage_kv_entry){key, kind};
    return 0;
}

static int by_key(const void *a, const void *b)
{
    const struct mirage_kv_entry *x = a, *y = b;
    return strcmp(x->key, y->key);
}

void kv_list_sort(struct mirage_kv_list *l)
{
    if (l->count > 1)
        qsort(l->entries, l->count, sizeof *l->entries, by_key);
}
