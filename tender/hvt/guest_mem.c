/* Checking guest addresses and lengths before the tender touches guest
 * memory on the guest's behalf (see hvt.h). All arithmetic is
 * overflow-safe: a range is accepted only if it lies wholly inside. */
#include "hvt.h"

/* Whether [gpa, gpa + len) lies inside [lo, hi). */
static bool inside(uint64_t gpa, uint64_t len, uint64_t lo, uint64_t hi)
{
    return gpa >= lo && gpa <= hi && len <= hi - gpa;
}

/* Whether [gpa, gpa + len) and [lo, hi) share a byte. */
static bool overlaps(uint64_t gpa, uint64_t len, uint64_t lo, uint64_t hi)
{
    return len > 0 && gpa < hi && (gpa >= lo || lo - gpa < len);
}

void *hvt_guest_ro(const struct hvt *h, uint64_t gpa, uint64_t len)
{
    if (!inside(gpa, len, HVT_GUEST_MIN, h->mem_size))
        return NULL;
    return h->mem + gpa;
}

void *hvt_guest_rw(const struct hvt *h, uint64_t gpa, uint64_t len)
{
    if (!inside(gpa, len, TENDER_LOAD_MIN, h->mem_size))
        return NULL;
    for (unsigned i = 0; i < h->elf->nload; i++) {
        const struct tender_segment *s = &h->elf->load[i];
        if (!(s->flags & TENDER_SEG_W) && overlaps(gpa, len, s->start, s->end))
            return NULL;
    }
    return h->mem + gpa;
}
