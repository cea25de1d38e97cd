/* Device lookup in the Solo5 manifest (see manifest.h). */
#include "manifest.h"

static const struct solo5_mft *mft;
static uint32_t mft_entries;
static plat_handle_set acquired;

void solo5_mft_init(const struct solo5_mft *m)
{
    mft = m;
    mft_entries =
        m->entries < SOLO5_MFT_MAX_ENTRIES ? m->entries : SOLO5_MFT_MAX_ENTRIES;
    acquired = 0;
}

bool solo5_mft_name_equals(const char name[SOLO5_MFT_NAME_SIZE], const char *s)
{
    for (size_t i = 0; i < SOLO5_MFT_NAME_SIZE; i++) {
        if (name[i] != s[i])
            return false;
        if (s[i] == '\0')
            return true;
    }
    return false;
}

enum plat_result solo5_mft_acquire(const char *name, enum solo5_mft_type type,
                                   plat_handle *h,
                                   const struct solo5_mft_entry **entry)
{
    /* Entry 0 is the reserved entry: never a device. */
    for (uint32_t i = 1; i < mft_entries; i++) {
        const struct solo5_mft_entry *e = &mft->e[i];
        if (e->type != (uint32_t)type || !solo5_mft_name_equals(e->name, name))
            continue;
        if (!e->attached || (acquired & (1ull << i)))
            return PLAT_EINVAL;
        acquired |= 1ull << i;
        *h = i;
        *entry = e;
        return PLAT_OK;
    }
    return PLAT_EINVAL;
}

const struct solo5_mft_entry *solo5_mft_device(plat_handle h,
                                               enum solo5_mft_type type)
{
    if (h >= mft_entries || !(acquired & (1ull << h)) ||
        mft->e[h].type != (uint32_t)type)
        return NULL;
    return &mft->e[h];
}

plat_handle_set solo5_mft_acquired(enum solo5_mft_type type)
{
    plat_handle_set set = 0;
    for (uint32_t i = 1; i < mft_entries; i++)
        if ((acquired & (1ull << i)) && mft->e[i].type == (uint32_t)type)
            set |= 1ull << i;
    return set;
}
