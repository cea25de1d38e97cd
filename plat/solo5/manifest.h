/* The devices of a Solo5-style guest: the manifest copy the tender passes
 * at boot (validated by the tender, every entry attached), looked up by
 * name and type, and the set of handles the unikernel has acquired.
 * Shared by the Solo5-style targets; no allocation, never yields. */
#ifndef MIRAGE_PLAT_SOLO5_MANIFEST_H
#define MIRAGE_PLAT_SOLO5_MANIFEST_H

#include <mirage/plat.h>
#include <mirage/solo5.h>

/* Record the tender's manifest (borrowed: it must stay mapped until exit).
 * Entries beyond SOLO5_MFT_MAX_ENTRIES are ignored. Call once at boot,
 * before any other call here. */
void solo5_mft_init(const struct solo5_mft *mft);

/* Acquire the attached device `name` of `type`: on PLAT_OK sets *h to its
 * handle and *entry to its manifest entry. PLAT_EINVAL if there is no such
 * attached device of that type, or it is already acquired. */
enum plat_result solo5_mft_acquire(const char *name, enum solo5_mft_type type,
                                   plat_handle *h,
                                   const struct solo5_mft_entry **entry);

/* The entry of acquired handle h if it has `type`, else NULL. */
const struct solo5_mft_entry *solo5_mft_device(plat_handle h,
                                               enum solo5_mft_type type);

/* Whether the NUL-terminated s equals an entry's name (at most
 * SOLO5_MFT_NAME_SIZE bytes, not necessarily terminated). */
bool solo5_mft_name_equals(const char name[SOLO5_MFT_NAME_SIZE], const char *s);

/* The set of acquired handles of `type`. */
plat_handle_set solo5_mft_acquired(enum solo5_mft_type type);

#endif
