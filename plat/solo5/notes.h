/* The ELF notes and the PT_INTERP every Solo5-style image carries besides
 * its manifest. A target's start file (always linked, unlike archive
 * members) expands SOLO5_IMAGE_NOTES once with its ABI target and the
 * extensions it asks for (or, with no tender to ask, SOLO5_ABI_NOTES:
 * the same without the EXT1 note); link.ld gives each note its own
 * PT_NOTE and keeps them against --gc-sections.
 *
 * - ABI1 note ("Solo5", type "ABI1"): {target, version 2, 0, 0}; the
 *   tenders refuse an image built for another target or ABI version.
 * - OpenBSD note ("OpenBSD", type 1, a zero uint32): marks the image as
 *   not runnable as an OpenBSD program.
 * - PT_INTERP "/nonexistent/solo5/": the host refuses to exec the image.
 * - MirageC's EXT1 note (ext.h) asking for the target's extensions
 *   (SOLO5_IMAGE_NOTES only). */
#ifndef MIRAGE_PLAT_SOLO5_NOTES_H
#define MIRAGE_PLAT_SOLO5_NOTES_H

#include "ext.h"

#include <mirage/solo5.h>

struct solo5_abi_note {
    struct solo5_note_header h;
    struct solo5_abi_info i;
};
_Static_assert(sizeof(struct solo5_abi_note) == 36, "ABI1 note size");

#define SOLO5_OPENBSD_NOTE_NAME "OpenBSD"
#define SOLO5_OPENBSD_NOTE_TYPE 1
struct solo5_openbsd_note {
    uint32_t namesz, descsz, type;
    char name[8];
    uint32_t desc;
};
_Static_assert(sizeof(struct solo5_openbsd_note) == 24, "OpenBSD note size");

#ifdef MIRAGE_SOLO5_PLAIN_ABI
/* The start object of the Solo5-ABI test images (plat/solo5/rules.mk):
 * no EXT1 note, as in an image built without MirageC's extensions. */
#define SOLO5_IMAGE_NOTES(abi_target, ext_features) SOLO5_ABI_NOTES(abi_target)
#else
#define SOLO5_IMAGE_NOTES(abi_target, ext_features)                            \
    SOLO5_EXT_NOTE(ext_features);                                              \
    SOLO5_ABI_NOTES(abi_target)
#endif

#define SOLO5_ABI_NOTES(abi_target)                                            \
    __attribute__((section(".note.solo5.abi"), aligned(4), used))              \
    const struct solo5_abi_note mirage_solo5_abi_note = {                      \
        .h = {.namesz = sizeof(SOLO5_NOTE_NAME),                               \
              .descsz = sizeof(struct solo5_abi_info),                         \
              .type = SOLO5_NOTE_ABI,                                          \
              .name = SOLO5_NOTE_NAME},                                        \
        .i = {.target = (abi_target), .version = SOLO5_ABI_VERSION}};          \
    __attribute__((section(".note.solo5.not_openbsd"), aligned(4), used))      \
    const struct solo5_openbsd_note mirage_solo5_openbsd_note = {              \
        .namesz = sizeof(SOLO5_OPENBSD_NOTE_NAME),                             \
        .descsz = sizeof(uint32_t),                                            \
        .type = SOLO5_OPENBSD_NOTE_TYPE,                                       \
        .name = SOLO5_OPENBSD_NOTE_NAME};                                      \
    __attribute__((section(".interp"), used))                                  \
    const char mirage_solo5_interp[] = SOLO5_INTERP

#endif
