/* Unit tests for the manifest note the SOLO5_MANIFEST macro produces
 * (byte layout as Solo5 has it, accepted by the tenders' validator) and
 * for the guest-side device lookup (plat/solo5/manifest.c). */
#include <mirage/solo5.h>
#include <stddef.h>

#include "../../plat/solo5/manifest.h"
#include "../../tender/common/tender.h"
#include "test.h"

SOLO5_MANIFEST(2, SOLO5_MFT_NET("service"), SOLO5_MFT_BLOCK("storage"));

static uint32_t u32_at(const void *base, size_t off)
{
    uint32_t v;
    memcpy(&v, (const uint8_t *)base + off, sizeof(v));
    return v;
}

TEST(manifest_note_layout)
{
    const uint8_t *n = (const uint8_t *)&mirage_solo5_manifest;
    enum { ENTRY = 104, BODY = 24 };
    CHECK_INT(sizeof(mirage_solo5_manifest), BODY + 8 + 3 * ENTRY);
    CHECK_INT((uintptr_t)n % 8, 0);
    CHECK_INT(u32_at(n, 0), 6);                 /* namesz */
    CHECK_INT(u32_at(n, 4), 4 + 8 + 3 * ENTRY); /* descsz, with padding */
    CHECK_INT(u32_at(n, 8), 0x3154464d);        /* "MFT1" */
    CHECK(memcmp(n + 12, "Solo5\0\0\0", 8) == 0);
    CHECK_INT(u32_at(n, 20), 0);       /* padding to 8 */
    CHECK_INT(u32_at(n, BODY), 1);     /* version */
    CHECK_INT(u32_at(n, BODY + 4), 3); /* entries */
    const uint8_t *e = n + BODY + 8;
    CHECK_INT(e[0], 0); /* reserved entry: empty name */
    CHECK_INT(u32_at(e, 68), 1u << 30);
    CHECK_STR((const char *)e + ENTRY, "service");
    CHECK_INT(u32_at(e + ENTRY, 68), 2);
    CHECK_STR((const char *)e + 2 * ENTRY, "storage");
    CHECK_INT(u32_at(e + 2 * ENTRY, 68), 1);
    CHECK_INT(e[2 * ENTRY + 96], 0); /* not attached */
}

TEST(manifest_note_passes_the_tender_validator)
{
    char err[TENDER_ERR_SIZE] = "";
    CHECK_INT(tender_mft_validate(&mirage_solo5_manifest.m,
                                  mirage_solo5_manifest.h.descsz - 4, err),
              0);
}

/* The manifest as a tender passes it: a copy with every device attached
 * (except "storage" when attach_all is false). */
static struct solo5_mft *attached_copy(bool attach_all)
{
    static union {
        uint64_t align;
        uint8_t bytes[sizeof(mirage_solo5_manifest.m)];
    } copy;
    memcpy(copy.bytes, &mirage_solo5_manifest.m, sizeof(copy.bytes));
    struct solo5_mft *m = (struct solo5_mft *)copy.bytes;
    m->e[1].attached = true;
    m->e[1].u.net_basic.mtu = 1500;
    m->e[2].attached = attach_all;
    return m;
}

TEST(manifest_lookup_by_name_and_type)
{
    solo5_mft_init(attached_copy(true));
    plat_handle h = 0;
    const struct solo5_mft_entry *e = NULL;
    CHECK(solo5_mft_device(1, SOLO5_MFT_DEV_NET_BASIC) == NULL);
    CHECK_INT(solo5_mft_acquire("service", SOLO5_MFT_DEV_NET_BASIC, &h, &e),
              PLAT_OK);
    CHECK_INT(h, 1);
    CHECK_INT(e->u.net_basic.mtu, 1500);
    CHECK(solo5_mft_device(1, SOLO5_MFT_DEV_NET_BASIC) == e);
    CHECK(solo5_mft_device(1, SOLO5_MFT_DEV_BLOCK_BASIC) == NULL);
    CHECK_INT(solo5_mft_acquired(SOLO5_MFT_DEV_NET_BASIC), 1u << 1);
    CHECK_INT(solo5_mft_acquired(SOLO5_MFT_DEV_BLOCK_BASIC), 0);
    CHECK_INT(solo5_mft_acquire("storage", SOLO5_MFT_DEV_BLOCK_BASIC, &h, &e),
              PLAT_OK);
    CHECK_INT(h, 2);
    CHECK_INT(solo5_mft_acquired(SOLO5_MFT_DEV_BLOCK_BASIC), 1u << 2);
    CHECK(solo5_mft_device(0, SOLO5_MFT_DEV_NET_BASIC) == NULL);
    CHECK(solo5_mft_device(3, SOLO5_MFT_DEV_NET_BASIC) == NULL);
}

TEST(manifest_lookup_refusals)
{
    solo5_mft_init(attached_copy(false));
    plat_handle h = 0;
    const struct solo5_mft_entry *e = NULL;
    CHECK_INT(solo5_mft_acquire("service", SOLO5_MFT_DEV_BLOCK_BASIC, &h, &e),
              PLAT_EINVAL);
    CHECK_INT(solo5_mft_acquire("servic", SOLO5_MFT_DEV_NET_BASIC, &h, &e),
              PLAT_EINVAL);
    CHECK_INT(solo5_mft_acquire("", SOLO5_MFT_RESERVED_FIRST, &h, &e),
              PLAT_EINVAL);
    CHECK_INT(solo5_mft_acquire("storage", SOLO5_MFT_DEV_BLOCK_BASIC, &h, &e),
              PLAT_EINVAL); /* not attached */
    CHECK_INT(solo5_mft_acquire("service", SOLO5_MFT_DEV_NET_BASIC, &h, &e),
              PLAT_OK);
    CHECK_INT(solo5_mft_acquire("service", SOLO5_MFT_DEV_NET_BASIC, &h, &e),
              PLAT_EINVAL); /* twice */
}

int main(void)
{
    return test_main();
}
