/* Finding the "Solo5" ELF notes and checking the ABI1 note; finding and
 * checking MirageC's EXT1 note. */
#include <string.h>

#include "tender.h"

/* A note header: namesz, descsz, type; then the name and the descriptor,
 * each padded to 4 bytes. */
#define NHDR_SIZE 12u

static uint64_t pad4(uint64_t x)
{
    return (x + 3) & ~(uint64_t)3;
}

/* Look for the note of the given name (NUL-terminated, namesz counts the
 * NUL) and type in one PT_NOTE range. Returns 1 and sets *at / *descsz
 * (the note's offset in the file and its descriptor size) when found, 0
 * when not, -1 on a malformed note. */
static int scan_range(const struct tender_note_range *r, const uint8_t *data,
                      const char *owner, uint32_t type, uint64_t *at,
                      uint32_t *descsz, char *err)
{
    uint64_t pos = 0;
    int found = 0;
    while (r->size - pos >= NHDR_SIZE) {
        uint32_t hdr[3];
        memcpy(hdr, data + r->offset + pos, sizeof hdr);
        uint64_t len = NHDR_SIZE + pad4(hdr[0]) + pad4(hdr[1]);
        if (len > r->size - pos)
            return tender_errf(err, "invalid image: note extends past its "
                                    "segment");
        const char *name = (const char *)data + r->offset + pos + NHDR_SIZE;
        if (hdr[0] == strlen(owner) + 1 && memcmp(name, owner, hdr[0]) == 0 &&
            hdr[2] == type) {
            if (found)
                return tender_errf(err, "invalid image: duplicate %s note 0x%x",
                                   owner, type);
            found = 1;
            *at = r->offset + pos;
            *descsz = hdr[1];
        }
        pos += len;
    }
    return found;
}

/* tender_note_find for notes of any owner. */
static int note_find(const struct tender_elf *elf, const uint8_t *data,
                     const char *owner, uint32_t type, size_t align,
                     const uint8_t **desc, size_t *size, char *err)
{
    int found = 0;
    uint64_t at = 0;
    uint32_t descsz = 0;
    for (unsigned i = 0; i < elf->nnote; i++) {
        uint64_t a;
        uint32_t d;
        int r = scan_range(&elf->note[i], data, owner, type, &a, &d, err);
        if (r < 0)
            return -1;
        if (r > 0 && found)
            return tender_errf(err, "invalid image: duplicate %s note 0x%x",
                               owner, type);
        if (r > 0) {
            found = 1;
            at = a;
            descsz = d;
        }
    }
    if (!found)
        return 0;
    /* The content starts at the note's header + name, rounded up to the
     * content's alignment; the padding counts in descsz. */
    uint64_t head = NHDR_SIZE + pad4(strlen(owner) + 1);
    uint64_t pad = ((head + align - 1) & ~(uint64_t)(align - 1)) - head;
    if (descsz < pad)
        return tender_errf(err, "invalid image: %s note 0x%x too short", owner,
                           type);
    *desc = data + at + head + pad;
    *size = descsz - pad;
    return 1;
}

int tender_note_find(const struct tender_elf *elf, const uint8_t *data,
                     uint32_t type, size_t align, const uint8_t **desc,
                     size_t *size, char *err)
{
    return note_find(elf, data, SOLO5_NOTE_NAME, type, align, desc, size, err);
}

int tender_ext_load(const struct tender_elf *elf, const uint8_t *data,
                    struct tender_ext *ext, char *err)
{
    const uint8_t *desc;
    size_t size;
    *ext = (struct tender_ext){0};
    int r = note_find(elf, data, MIRAGE_NOTE_NAME, MIRAGE_NOTE_EXT, 4, &desc,
                      &size, err);
    if (r <= 0)
        return r;
    struct mirage_ext_note n;
    size_t want = sizeof n - sizeof n.h;
    if (size != want)
        return tender_errf(err, "invalid image: EXT1 note of %zu bytes", size);
    memcpy((uint8_t *)&n + sizeof n.h, desc, want);
    uint64_t len = MIRAGE_EXT_RECORD_SIZE(n.features);
    for (unsigned i = 0; i < elf->nload; i++) {
        const struct tender_segment *s = &elf->load[i];
        if ((s->flags & TENDER_SEG_W) && n.record % 8 == 0 &&
            n.record >= s->vaddr && n.record - s->vaddr <= s->memsz &&
            s->memsz - (n.record - s->vaddr) >= len) {
            ext->record = n.record;
            ext->wanted = n.features;
            return 1;
        }
    }
    return tender_errf(err,
                       "invalid image: MirageC extension record at 0x%llx is "
                       "not in writable data",
                       (unsigned long long)n.record);
}

uint32_t tender_ext_grant(const struct tender_ext *ext, void *record,
                          uint32_t offered, uint64_t net_vec,
                          const uint8_t *net_vhdr)
{
    if (ext->record == 0)
        return 0;
    struct mirage_ext rec = {.granted = ext->wanted & offered};
    if (rec.granted & MIRAGE_EXT_NET_VEC)
        rec.net_vec = net_vec;
    if (rec.granted & MIRAGE_EXT_NET_VHDR)
        memcpy(rec.net_vhdr, net_vhdr, sizeof rec.net_vhdr);
    memcpy(record, &rec, MIRAGE_EXT_RECORD_SIZE(ext->wanted));
    return rec.granted;
}

int tender_abi_check(const struct tender_elf *elf, const uint8_t *data,
                     uint32_t target, char *err)
{
    const uint8_t *desc;
    size_t size;
    int r = tender_note_find(elf, data, SOLO5_NOTE_ABI, 4, &desc, &size, err);
    if (r < 0)
        return -1;
    if (r == 0)
        return tender_errf(err, "invalid image: no Solo5 ABI1 note");
    struct solo5_abi_info abi;
    if (size != sizeof abi)
        return tender_errf(err, "invalid image: ABI1 note of %zu bytes", size);
    memcpy(&abi, desc, sizeof abi);
    if (abi.target != target)
        return tender_errf(err,
                           "image is built for Solo5 ABI target %u, "
                           "not %u",
                           abi.target, target);
    if (abi.version != SOLO5_ABI_VERSION)
        return tender_errf(err,
                           "image is built for Solo5 ABI version %u, "
                           "not %u",
                           abi.version, SOLO5_ABI_VERSION);
    return 0;
}
