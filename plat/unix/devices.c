/* The unix platform's table of acquired network and block devices. */
#include "unix.h"

struct unix_dev unix_devs[PLAT_MAX_DEVICES];

struct unix_dev *unix_dev_alloc(plat_handle *h)
{
    for (plat_handle i = 0; i < PLAT_MAX_DEVICES; i++) {
        if (unix_devs[i].kind == UNIX_DEV_FREE) {
            *h = i;
            return &unix_devs[i];
        }
    }
    return NULL;
}

struct unix_dev *unix_dev_get(plat_handle h, enum unix_dev_kind kind)
{
    if (h >= PLAT_MAX_DEVICES || unix_devs[h].kind != kind)
        return NULL;
    return &unix_devs[h];
}
