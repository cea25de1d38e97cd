/* The guest's page tables after boot (see virtio.h). boot.S identity-maps
 * 0-4 GiB with 2 MiB write-back pages. A device range below 4 GiB gets
 * its pages marked uncached, one above gets page directories from a
 * small pool. Guard pages (plat_stack_guard) go in the memory between
 * the image and the DMA memory (the heap and the boot stack): the first
 * in a 2 MiB page splits it into 4 KiB pages, with a page table from a
 * pool reserved at boot (one for every 2 MiB of that memory, 1/512 of
 * it, from the DMA memory), so guarding never allocates. The guest owns
 * its page tables: guard pages are always available, with no extension
 * to negotiate. */
#include "virtio.h"

#define PTE_P      (1ull << 0)
#define PTE_RW     (1ull << 1)
#define PTE_PWT    (1ull << 3)
#define PTE_PCD    (1ull << 4)
#define PTE_PS     (1ull << 7)
#define PAGE_2M    (2ull << 20)
#define EXTRA_PDS  8
#define ADDR_LIMIT (512ull << 30) /* what one PDPT covers */
#define PAGE       4096u

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

static uint64_t (*tables)[512];     /* the 4 KiB page tables, one per 2 MiB */
static uint64_t first_2m;           /* the 2 MiB page tables[0] covers */
static uint64_t guard_lo, guard_hi; /* where guard pages may go */

int virtio_paging_reserve(uint64_t lo, uint64_t hi)
{
    first_2m = lo / PAGE_2M;
    uint64_t n = (hi + PAGE_2M - 1) / PAGE_2M - first_2m;
    tables = virtio_dma_alloc(n * PAGE, PAGE);
    if (tables == NULL)
        return -1;
    guard_lo = (lo + PAGE - 1) & ~(uint64_t)(PAGE - 1);
    guard_hi = virtio_dma_low() & ~(uint64_t)(PAGE - 1);
    return 0;
}

enum plat_result plat_stack_guard(void *page, bool guard)
{
    uint64_t a = (uint64_t)(uintptr_t)page;
    if (a % PAGE != 0 || a < guard_lo || a >= guard_hi)
        return PLAT_EINVAL;
    uint64_t i2m = a / PAGE_2M;
    uint64_t *pde = &virtio_pd[i2m], *pt = tables[i2m - first_2m];
    if (*pde & PTE_PS) {
        /* Split: the same mapping, 4 KiB at a time. */
        uint64_t base = i2m * PAGE_2M;
        uint64_t flags = *pde & (PTE_RW | PTE_PWT | PTE_PCD);
        for (unsigned k = 0; k < 512; k++)
            pt[k] = (base + (uint64_t)k * PAGE) | PTE_P | flags;
        *pde = (uint64_t)(uintptr_t)pt | PTE_P | PTE_RW;
        __asm__ volatile("invlpg (%0)" ::"r"(base) : "memory");
    }
    uint64_t k = a / PAGE % 512;
    pt[k] = guard ? pt[k] & ~PTE_P : pt[k] | PTE_P;
    __asm__ volatile("invlpg (%0)" ::"r"(a) : "memory");
    return PLAT_OK;
}
