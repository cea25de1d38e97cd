/* Mapping device registers (see virtio.h): boot.S identity-maps 0-4 GiB
 * with 2 MiB write-back pages; a device range below 4 GiB gets its pages
 * marked uncached, one above gets page directories from a small pool. */
#include "virtio.h"

#define PTE_P      (1ull << 0)
#define PTE_RW     (1ull << 1)
#define PTE_PWT    (1ull << 3)
#define PTE_PCD    (1ull << 4)
#define PTE_PS     (1ull << 7)
#define PAGE_2M    (2ull << 20)
#define EXTRA_PDS  8
#define ADDR_LIMIT (512ull << 30) /* what one PDPT covers */

extern uint64_t virtio_pdpt[512], virtio_pd[4 * 512];
static uint64_t extra[EXTRA_PDS][512] __attribute__((aligned(4096)));
static unsigned extra_used;

int virtio_map_device(uint64_t addr, uint64_t len)
{
    if (len == 0 || addr + len < addr || addr + len > ADDR_LIMIT)
        return -1;
    uint64_t first = addr & ~(PAGE_2M - 1);
    for (uint64_t p = first; p < addr + len; p += PAGE_2M) {
        unsigned gib = (unsigned)(p >> 30), i = (unsigned)(p >> 21) & 511;
        uint64_t *pd;
        if (gib < 4) {
            pd = &virtio_pd[gib * 512];
        } else if (virtio_pdpt[gib] & PTE_P) {
            pd = (uint64_t *)(uintptr_t)(virtio_pdpt[gib] & ~0xfffull);
        } else {
            if (extra_used == EXTRA_PDS)
                return -1;
            pd = extra[extra_used++];
            virtio_pdpt[gib] = (uint64_t)(uintptr_t)pd | PTE_P | PTE_RW;
        }
        pd[i] = p | PTE_P | PTE_RW | PTE_PS | PTE_PWT | PTE_PCD;
        __asm__ volatile("invlpg (%0)" ::"r"(p) : "memory");
    }
    return 0;
}

/* No guard pages yet: the runtime relies on its stack canary. */
enum plat_result plat_stack_guard(void *page, bool guard)
{
    (void)page;
    (void)guard;
    return PLAT_EUNSPEC;
}
