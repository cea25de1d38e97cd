/* Unit tests for mirage-hvt's guest address checks
 * (tender/hvt/guest_mem.c): bounds, overflow, the tender's area and the
 * image's read-only segments. */
#include "../../tender/hvt/hvt.h"
#include "test.h"

#define MEM (4u << 20)

static uint8_t mem[MEM];
static struct tender_elf elf = {
    .nload = 2,
    .load = {{.start = 0x100000,
              .end = 0x102000,
              .flags = TENDER_SEG_R | TENDER_SEG_X},
             {.start = 0x102000,
              .end = 0x104000,
              .flags = TENDER_SEG_R | TENDER_SEG_W}},
};
static struct hvt h = {.mem = mem, .mem_size = MEM, .elf = &elf};

TEST(guest_ro_bounds)
{
    CHECK(hvt_guest_ro(&h, 0x10000, 16) == mem + 0x10000);
    CHECK(hvt_guest_ro(&h, 0xfff0, 16) == NULL); /* tender's area */
    CHECK(hvt_guest_ro(&h, MEM - 16, 16) == mem + MEM - 16);
    CHECK(hvt_guest_ro(&h, MEM - 16, 17) == NULL); /* past the end */
    CHECK(hvt_guest_ro(&h, MEM, 0) == mem + MEM);
    CHECK(hvt_guest_ro(&h, MEM + 1, 0) == NULL);
    CHECK(hvt_guest_ro(&h, 0x100000, UINT64_MAX) == NULL);
    CHECK(hvt_guest_ro(&h, UINT64_MAX - 4, 8) == NULL); /* wraps */
    CHECK(hvt_guest_ro(&h, 0x100000, 0) != NULL);
}

TEST(guest_rw_excludes_read_only_memory)
{
    CHECK(hvt_guest_rw(&h, 0x10000, 16) == NULL);     /* boot info */
    CHECK(hvt_guest_rw(&h, 0xffff8, 16) == NULL);     /* straddles 0x100000 */
    CHECK(hvt_guest_rw(&h, 0x100000, 1) == NULL);     /* text */
    CHECK(hvt_guest_rw(&h, 0x101fff, 2) == NULL);     /* text's last byte */
    CHECK(hvt_guest_rw(&h, 0xfffff, 0x5000) == NULL); /* covers text */
    CHECK(hvt_guest_rw(&h, 0x102000, 0x2000) == mem + 0x102000); /* data */
    CHECK(hvt_guest_rw(&h, 0x104000, MEM - 0x104000) == mem + 0x104000);
    CHECK(hvt_guest_rw(&h, 0x104000, MEM - 0x104000 + 1) == NULL);
    CHECK(hvt_guest_rw(&h, 0x104000, UINT64_MAX) == NULL);
}

int main(void)
{
    return test_main();
}
