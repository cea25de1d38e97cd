/* Validating the MFT1 manifest and its device names (which the command
 * line takes too), and preparing the copy the tender hands to the guest. */
#include <stdlib.h>
#include <string.h>

#include "tender.h"

#define MFT_HEADER_SIZE offsetof(struct solo5_mft, e)
#define MFT_ALIGN       _Alignof(struct solo5_mft)

bool tender_mft_name_valid(const char *s, size_t n)
{
    if (n == 0 || n >= SOLO5_MFT_NAME_SIZE)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

/* Check entry i, read from raw image bytes (its `attached` byte may hold
 * any value, so it is not read as a bool). */
static int check_entry(const uint8_t *raw, unsigned i, char *err)
{
    char name[SOLO5_MFT_NAME_SIZE];
    uint32_t type;
    uint8_t attached;
    memcpy(name, raw + offsetof(struct solo5_mft_entry, name), sizeof name);
    memcpy(&type, raw + offsetof(struct solo5_mft_entry, type), sizeof type);
    attached = raw[offsetof(struct solo5_mft_entry, attached)];
    if (i == 0) {
        if (type != SOLO5_MFT_RESERVED_FIRST || name[0] != '\0')
            return tender_errf(err, "invalid manifest: entry 0 is not the "
                                    "reserved entry");
        return 0;
    }
    if (!tender_mft_name_valid(name, strnlen(name, sizeof name)))
        return tender_errf(err,
                           "invalid manifest: entry %u: bad device "
                           "name",
                           i);
    if (type != SOLO5_MFT_DEV_BLOCK_BASIC && type != SOLO5_MFT_DEV_NET_BASIC)
        return tender_errf(err,
                           "invalid manifest: entry %u (%s): unknown "
                           "device type 0x%x",
                           i, name, type);
    if (attached != 0)
        return tender_errf(err,
                           "invalid manifest: entry %u (%s) is marked "
                           "attached",
                           i, name);
    return 0;
}

int tender_mft_validate(const void *mft, size_t size, char *err)
{
    struct solo5_mft h;
    if (size < MFT_HEADER_SIZE)
        return tender_errf(err, "invalid manifest: %zu bytes", size);
    memcpy(&h, mft, MFT_HEADER_SIZE);
    if (h.version != SOLO5_MFT_VERSION)
        return tender_errf(err, "invalid manifest: version %u, not %u",
                           h.version, SOLO5_MFT_VERSION);
    if (h.entries == 0 || h.entries > SOLO5_MFT_MAX_ENTRIES)
        return tender_errf(err,
                           "invalid manifest: %u entries (1 to %u "
                           "allowed)",
                           h.entries, SOLO5_MFT_MAX_ENTRIES);
    if (size !=
        MFT_HEADER_SIZE + (size_t)h.entries * sizeof(struct solo5_mft_entry))
        return tender_errf(err,
                           "invalid manifest: %zu bytes for %u "
                           "entries",
                           size, h.entries);
    const uint8_t *p = (const uint8_t *)mft + MFT_HEADER_SIZE;
    const size_t esize = sizeof(struct solo5_mft_entry);
    for (unsigned i = 0; i < h.entries; i++) {
        if (check_entry(p + i * esize, i, err) < 0)
            return -1;
        /* Names are NUL-terminated once check_entry accepted them. */
        const char *name = (const char *)p + i * esize;
        for (unsigned j = 1; j < i; j++)
            if (strcmp((const char *)p + j * esize, name) == 0)
                return tender_errf(err,
                                   "invalid manifest: device name "
                                   "'%s' declared twice",
                                   name);
    }
    return 0;
}

int tender_mft_load(const struct tender_elf *elf, const uint8_t *data,
                    struct solo5_mft **mft, size_t *size, char *err)
{
    const uint8_t *desc;
    size_t n;
    int r = tender_note_find(elf, data, SOLO5_NOTE_MANIFEST, MFT_ALIGN, &desc,
                             &n, err);
    if (r < 0)
        return -1;
    if (r == 0)
        return tender_errf(err, "invalid image: no Solo5 MFT1 manifest "
                                "note");
    if (tender_mft_validate(desc, n, err) < 0)
        return -1;
    struct solo5_mft *copy = malloc(n);
    if (!copy)
        return tender_errf(err, "out of memory");
    memcpy(copy, desc, n);
    for (unsigned i = 0; i < copy->entries; i++) {
        memset(&copy->e[i].u, 0, sizeof copy->e[i].u);
        memset(&copy->e[i].b, 0, sizeof copy->e[i].b);
    }
    *mft = copy;
    *size = n;
    return 0;
}

struct solo5_mft_entry *tender_mft_find(struct solo5_mft *mft, const char *name)
{
    for (unsigned i = 1; i < mft->entries; i++)
        if (strcmp(mft->e[i].name, name) == 0)
            return &mft->e[i];
    return NULL;
}
