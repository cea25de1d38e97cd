/* MirageC's extensions of the Solo5 ABI on the guest side (see
 * <mirage/solo5.h>): the record the tender fills in before the guest runs
 * (zero under Solo5's tenders, which grant nothing; on virtio, which has
 * no tender, the platform grants each network device what it offers),
 * and the note that points the tender at it. */
#ifndef MIRAGE_PLAT_SOLO5_EXT_H
#define MIRAGE_PLAT_SOLO5_EXT_H

#include <mirage/solo5.h>
#include <stdbool.h>

extern struct mirage_ext solo5_ext;

/* Whether the tender granted feature (a MIRAGE_EXT_* bit). */
static inline bool solo5_ext_granted(uint32_t feature)
{
    return (solo5_ext.granted & feature) != 0;
}

/* The EXT1 note asking for the features `wanted`, in its own PT_NOTE (link.ld).
 * A target's start file expands it once, through SOLO5_IMAGE_NOTES. */
#define SOLO5_EXT_NOTE(wanted)                                                 \
    __attribute__((section(".note.mirage.ext"), aligned(4), used))             \
    const struct mirage_ext_note mirage_ext_note = {                           \
        .h = {.namesz = sizeof(MIRAGE_NOTE_NAME),                              \
              .descsz = sizeof(struct mirage_ext_note) -                       \
                        sizeof(struct solo5_note_header),                      \
              .type = MIRAGE_NOTE_EXT,                                         \
              .name = MIRAGE_NOTE_NAME},                                       \
        .record = (uint64_t)(uintptr_t)&solo5_ext,                             \
        .features = (wanted)}

#endif
