/* The hvt guest's own page tables, so that it can put guard pages below
 * its stacks without asking the tender (Solo5's ABI has no call for it,
 * and none is needed: the guest runs in ring 0 and may load CR3 itself).
 *
 * They map what the tender's tables map, identically: nothing below
 * 0x10000, [0x10000, 0x100000) read-only (the boot info), the rest of
 * memory read-write, in 2 MiB pages but the first 2 MiB (and a last
 * partial 2 MiB, if memory ends inside one) in 4 KiB pages.
 * A 2 MiB page is split into 4 KiB pages the first time a guard page
 * falls in it; its page table is the pool page reserved for it at boot
 * (one per 2 MiB of memory, 1/512 of memory), so guarding never
 * allocates. The tables live just after the image; the heap starts after
 * them. The tender still enforces its own protections (host mprotect), so
 * these tables can only narrow what the guest may do. */
#include "hvt.h"

#include <mirage/plat.h>

#define PAGE      4096u
#define PAGE_2M   (1ull << 21)
#define PAGE_1G   (1ull << 30)
#define PTE_P     0x001ull
#define PTE_RW    0x002ull
#define PTE_PS    0x080ull
#define ADDR_MASK 0x000ffffffffff000ull
#define BOOT_INFO 0x10000u
#define IMAGE     0x100000u

static uint64_t *pml4, *pdpt, *pd, *pool;
static uint64_t guard_lo, guard_hi; /* where guard pages may go */
static uint64_t mem_end;

static void invlpg(uint64_t a)
{
    __asm__ volatile("invlpg (%0)" ::"r"(a) : "memory");
}

static uint64_t *page_at(uint64_t *base, uint64_t i)
{
    return base + i * (PAGE / sizeof(uint64_t));
}

/* The 4 KiB mapping of the 2 MiB region at r * 2 MiB, into table pt. */
static void fill_pt(uint64_t *pt, uint64_t r)
{
    for (uint64_t i = 0; i < 512; i++) {
        uint64_t a = r * PAGE_2M + i * PAGE;
        uint64_t flags = a < BOOT_INFO || a >= mem_end ? 0
                         : a < IMAGE                   ? PTE_P
                                                       : PTE_P | PTE_RW;
        pt[i] = flags ? a | flags : 0;
    }
}

uint64_t hvt_paging_init(uint64_t kernel_end, uint64_t mem_size)
{
    uint64_t regions = (mem_size + PAGE_2M - 1) / PAGE_2M;
    mem_end = mem_size;
    uint64_t gibs = (mem_size + PAGE_1G - 1) / PAGE_1G;
    uint64_t *base = (uint64_t *)(uintptr_t)((kernel_end + PAGE - 1) &
                                             ~(uint64_t)(PAGE - 1));
    pml4 = base;
    pdpt = page_at(base, 1);
    pd = page_at(base, 2);
    pool = page_at(pd, gibs);
    uint64_t end = (uint64_t)(uintptr_t)page_at(pool, regions);
    for (uint64_t *p = base; p < page_at(pool, 0); p++)
        *p = 0;
    pml4[0] = (uint64_t)(uintptr_t)pdpt | PTE_P | PTE_RW;
    for (uint64_t g = 0; g < gibs; g++)
        pdpt[g] = (uint64_t)(uintptr_t)page_at(pd, g) | PTE_P | PTE_RW;
    for (uint64_t r = 0; r < regions; r++) {
        if (r > 0 && (r + 1) * PAGE_2M <= mem_size) {
            pd[r] = r * PAGE_2M | PTE_P | PTE_RW | PTE_PS;
        } else { /* the first 2 MiB, and a partial last region */
            fill_pt(page_at(pool, r), r);
            pd[r] = (uint64_t)(uintptr_t)page_at(pool, r) | PTE_P | PTE_RW;
        }
    }
    __asm__ volatile("movq %0, %%cr3" ::"r"((uint64_t)(uintptr_t)pml4)
                     : "memory");
    guard_lo = end;
    guard_hi = mem_size & ~(uint64_t)(PAGE - 1);
    return end;
}

enum plat_result plat_stack_guard(void *page, bool guard)
{
    uint64_t a = (uint64_t)(uintptr_t)page;
    if (a & (PAGE - 1) || a < guard_lo || a >= guard_hi)
        return PLAT_EINVAL;
    uint64_t r = a / PAGE_2M;
    uint64_t *pt = page_at(pool, r);
    if (pd[r] & PTE_PS) {
        fill_pt(pt, r);
        pd[r] = (uint64_t)(uintptr_t)pt | PTE_P | PTE_RW;
        invlpg(r * PAGE_2M);
    }
    uint64_t *pte = &pt[(a / PAGE) % 512];
    *pte = (*pte & ADDR_MASK) | (guard ? 0 : PTE_P | PTE_RW);
    invlpg(a);
    return PLAT_OK;
}
