/* Hosted tests of plat/virtio's pure boot-time parsers: the PVH and
 * multiboot records, the platform's command-line words, matching devices
 * to the manifest, the CMOS RTC's registers and the ACPI \_S5 package. */
#include "../../plat/virtio/aml.h"
#include "../../plat/virtio/boot.h"
#include "../../plat/virtio/bootinfo.h"
#include "../../plat/virtio/cmdline.h"
#include "../../plat/virtio/match.h"
#include "../../plat/virtio/rtc.h"
#include "../../plat/virtio/transport.h"
#include "../unit/test.h"

#include <stdlib.h>
#include <sys/mman.h>

#define MiB       (1ull << 20)
#define IMG_START 0x100000
#define IMG_END   0x180000

TEST(pvh_record)
{
    struct hvm_memmap_entry map[] = {
        {0, 0x9fc00, MEMMAP_RAM, 0},         {0xf0000, 0x10000, 2, 0},
        {0x100000, 63 * MiB, MEMMAP_RAM, 0}, /* two adjacent RAM runs */
        {64 * MiB, 64 * MiB, MEMMAP_RAM, 0}, {0xfeffc000, 0x4000, 2, 0},
    };
    struct hvm_start_info si = {.magic = PVH_START_MAGIC,
                                .version = 1,
                                .cmdline_paddr = (uintptr_t) "--a=1 b",
                                .rsdp_paddr = 0xf5a40,
                                .memmap_paddr = (uintptr_t)map,
                                .memmap_entries = 5};
    struct boot_info bi;
    const char *why = "";
    CHECK_INT(
        boot_info_read(BOOT_PVH, (uintptr_t)&si, IMG_START, IMG_END, &bi, &why),
        0);
    CHECK_STR(bi.cmdline, "--a=1 b");
    CHECK(!bi.cmdline_has_image);
    CHECK_INT(bi.ram_end, 128 * MiB);
    CHECK_INT(bi.rsdp, 0xf5a40);
    /* RAM above the 4 GiB identity map is cut off. */
    map[3].size = 8ull << 30;
    CHECK_INT(
        boot_info_read(BOOT_PVH, (uintptr_t)&si, IMG_START, IMG_END, &bi, &why),
        0);
    CHECK_INT(bi.ram_end, RAM_LIMIT);
    /* No command line is an empty one. */
    si.cmdline_paddr = 0;
    CHECK_INT(
        boot_info_read(BOOT_PVH, (uintptr_t)&si, IMG_START, IMG_END, &bi, &why),
        0);
    CHECK_STR(bi.cmdline, "");
}

TEST(pvh_record_errors)
{
    struct hvm_memmap_entry map[] = {{0, 0x9fc00, MEMMAP_RAM, 0},
                                     {0x100000, 0x40000, MEMMAP_RAM, 0}};
    struct hvm_start_info si = {.magic = PVH_START_MAGIC,
                                .version = 1,
                                .memmap_paddr = (uintptr_t)map,
                                .memmap_entries = 2};
    struct boot_info bi;
    const char *why = "";
    /* The RAM ends inside the image. */
    CHECK_INT(
        boot_info_read(BOOT_PVH, (uintptr_t)&si, IMG_START, IMG_END, &bi, &why),
        -1);
    CHECK_STR(why, "the memory map has no RAM under the image");
    si.memmap_entries = 0;
    CHECK_INT(
        boot_info_read(BOOT_PVH, (uintptr_t)&si, IMG_START, IMG_END, &bi, &why),
        -1);
    si.version = 0;
    CHECK_INT(
        boot_info_read(BOOT_PVH, (uintptr_t)&si, IMG_START, IMG_END, &bi, &why),
        -1);
    CHECK_STR(why, "the PVH start info has no memory map");
    si.magic = 0x12345678;
    CHECK_INT(
        boot_info_read(BOOT_PVH, (uintptr_t)&si, IMG_START, IMG_END, &bi, &why),
        -1);
    CHECK_STR(why, "the PVH start info has a bad magic number");
    CHECK_INT(boot_info_read(BOOT_UNKNOWN, (uintptr_t)&si, IMG_START, IMG_END,
                             &bi, &why),
              -1);
    CHECK(strstr(why, "unknown boot protocol") != NULL);
}

/* A page below 2 GiB, where the multiboot record's 32-bit pointers can
 * point (MAP_32BIT). */
static uint8_t *low_page(void)
{
    static uint8_t *page;
    if (page == NULL) {
        page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
        if (page == MAP_FAILED)
            abort();
    }
    memset(page, 0, 4096);
    return page;
}

static uint32_t low(const void *p)
{
    return (uint32_t)(uintptr_t)p;
}

/* A multiboot memory map entry whose size field is `size`. */
static size_t mb_entry(uint8_t *p, uint32_t size, uint64_t addr, uint64_t len,
                       uint32_t type)
{
    struct multiboot_mmap_entry e = {size, addr, len, type};
    memcpy(p, &e, sizeof e);
    return 4 + size;
}

TEST(multiboot_record)
{
    uint8_t *page = low_page(), *mmap = page + 1024;
    strcpy((char *)page, "/boot/hello.virtio --a=1");
    size_t n = mb_entry(mmap, 20, 0, 0x9fc00, MEMMAP_RAM);
    n += mb_entry(mmap + n, 24, 0x100000, 255 * MiB, MEMMAP_RAM);
    n += mb_entry(mmap + n, 20, 0xfffc0000, 0x40000, 2);
    struct multiboot_info mb = {
        .flags = MB_INFO_MMAP | MB_INFO_CMDLINE | MB_INFO_MEMORY,
        .mem_upper = 1024,
        .cmdline = low(page),
        .mmap_addr = low(mmap),
        .mmap_length = (uint32_t)n,
    };
    struct boot_info bi;
    const char *why = "";
    CHECK_INT(boot_info_read(BOOT_MULTIBOOT, (uintptr_t)&mb, IMG_START, IMG_END,
                             &bi, &why),
              0);
    CHECK_INT(bi.ram_end, 256 * MiB);
    CHECK_STR(bi.cmdline, "/boot/hello.virtio --a=1");
    CHECK(bi.cmdline_has_image);
    CHECK_INT(bi.rsdp, 0);
    /* Without a map, mem_upper (KiB above 1 MiB) gives the RAM. */
    mb.flags = MB_INFO_MEMORY;
    CHECK_INT(boot_info_read(BOOT_MULTIBOOT, (uintptr_t)&mb, IMG_START, IMG_END,
                             &bi, &why),
              0);
    CHECK_INT(bi.ram_end, 2 * MiB);
    CHECK_STR(bi.cmdline, "");
    mb.flags = 0;
    CHECK_INT(boot_info_read(BOOT_MULTIBOOT, (uintptr_t)&mb, IMG_START, IMG_END,
                             &bi, &why),
              -1);
    CHECK_STR(why, "the multiboot info has no memory map");
}

TEST(multiboot_hostile_map)
{
    uint8_t *mmap = low_page();
    struct boot_info bi;
    const char *why = "";
    /* An entry whose size field is too small must not loop forever... */
    size_t n = mb_entry(mmap, 0, 0x100000, 255 * MiB, MEMMAP_RAM);
    struct multiboot_info mb = {
        .flags = MB_INFO_MMAP, .mmap_addr = low(mmap), .mmap_length = 64};
    CHECK_INT(boot_info_read(BOOT_MULTIBOOT, (uintptr_t)&mb, IMG_START, IMG_END,
                             &bi, &why),
              -1);
    CHECK_STR(why, "the memory map has no RAM under the image");
    /* ...one whose size runs past the map is not followed... */
    n = mb_entry(mmap, 20, 0x100000, 255 * MiB, MEMMAP_RAM);
    mb_entry(mmap + n, 0xfffffff0u, 0x100000, 1ull << 40, MEMMAP_RAM);
    CHECK_INT(boot_info_read(BOOT_MULTIBOOT, (uintptr_t)&mb, IMG_START, IMG_END,
                             &bi, &why),
              0);
    CHECK_INT(bi.ram_end, RAM_LIMIT);
    /* ...and a map length cut inside an entry ends the map there. */
    memset(mmap, 0, 4096);
    n = mb_entry(mmap, 20, 0x100000, 255 * MiB, MEMMAP_RAM);
    mb_entry(mmap + n, 20, 256 * MiB, 256 * MiB, MEMMAP_RAM);
    mb.mmap_length = (uint32_t)n + 10;
    CHECK_INT(boot_info_read(BOOT_MULTIBOOT, (uintptr_t)&mb, IMG_START, IMG_END,
                             &bi, &why),
              0);
    CHECK_INT(bi.ram_end, 256 * MiB);
}

static int take(const char *line, bool image_first, struct virtio_args *a,
                char *rest, const char **word, const char **why)
{
    *word = *why = "";
    return virtio_cmdline_take(line, image_first, a, rest, 256, word, why);
}

TEST(cmdline_platform_words)
{
    static struct virtio_args a;
    char rest[256];
    const char *word, *why;
    CHECK_INT(take("--hello='a b' virtio_mmio.device=512@0xfeb00e00:12 "
                   "virtio_mmio.device=4K@0xd0000000:5:3 "
                   "virtio.net:service=1 virtio.block:storage=0 it\\'s",
                   false, &a, rest, &word, &why),
              0);
    CHECK_STR(rest, "'--hello=a b' 'it'\\''s' ");
    CHECK_INT(a.nmmio, 2);
    CHECK(a.mmio[0].base == 0xfeb00e00 && a.mmio[0].size == 512 &&
          a.mmio[0].irq == 12);
    CHECK(a.mmio[1].base == 0xd0000000 && a.mmio[1].size == 4096);
    CHECK_INT(a.nmap, 2);
    CHECK_STR(a.map[0].name, "service");
    CHECK_INT(a.map[0].type, SOLO5_MFT_DEV_NET_BASIC);
    CHECK_INT(a.map[0].index, 1);
    CHECK_INT(a.map[1].type, SOLO5_MFT_DEV_BLOCK_BASIC);
    /* Multiboot: the image's path first is dropped, an argument is not. */
    CHECK_INT(take("/boot/x.virtio --a=1", true, &a, rest, &word, &why), 0);
    CHECK_STR(rest, "'--a=1' ");
    CHECK_INT(take("--a=1 x", true, &a, rest, &word, &why), 0);
    CHECK_STR(rest, "'--a=1' 'x' ");
    /* A line that cannot be split is passed on as it is. */
    CHECK_INT(take("it's", false, &a, rest, &word, &why), 1);
    CHECK_STR(rest, "it's");
}

TEST(cmdline_bad_platform_words)
{
    static struct virtio_args a;
    char rest[256];
    const char *word, *why;
    const char *bad[] = {
        "virtio_mmio.device=",
        "virtio_mmio.device=512",
        "virtio_mmio.device=512@0xfeb00e00",
        "virtio_mmio.device=512@0xfeb00e00:",
        "virtio_mmio.device=0@0x1000:5",
        "virtio_mmio.device=512@0xfffffffffffffff0:5",
        "virtio_mmio.device=99999999999999999999@0:5",
        "virtio_mmio.device=512@0x1000:5x",
        "virtio_mmio.device=512@0x1000:5:",
        "virtio.net:service",
        "virtio.net:=1",
        "virtio.net:service=",
        "virtio.net:service=-1",
        "virtio.block:storage=0x",
        "virtio.net:"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa="
        "1",
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[160];
        snprintf(line, sizeof line, "--ok %s --ok", bad[i]);
        if (take(line, false, &a, rest, &word, &why) != -1) {
            test_fail(__FILE__, __LINE__, "accepted %s", bad[i]);
            return;
        }
        CHECK_STR(word, bad[i]);
    }
    CHECK_INT(
        take("virtio.net:a=0 virtio.net:a=1", false, &a, rest, &word, &why),
        -1);
    CHECK_STR(why, "the device is given twice");
    /* The same name for a net and a block device is fine. */
    CHECK_INT(
        take("virtio.net:a=0 virtio.block:a=0", false, &a, rest, &word, &why),
        0);
    /* A rest longer than its buffer is an error, not a truncation. */
    char longline[400];
    memset(longline, 'x', sizeof longline - 1);
    longline[sizeof longline - 1] = '\0';
    CHECK_INT(take(longline, false, &a, rest, &word, &why), -1);
    CHECK_STR(why, "the command line is too long");
}

/* A manifest of n entries after the reserved one. */
static struct solo5_mft *manifest(unsigned n, const uint32_t *types,
                                  const char *const *names)
{
    static uint64_t mem[(8 + 8 * sizeof(struct solo5_mft_entry)) / 8];
    struct solo5_mft *m = (struct solo5_mft *)mem;
    memset(mem, 0, sizeof mem);
    m->entries = n + 1;
    m->e[0].type = SOLO5_MFT_RESERVED_FIRST;
    for (unsigned i = 0; i < n; i++) {
        m->e[i + 1].type = types[i];
        strcpy(m->e[i + 1].name, names[i]);
    }
    return m;
}

#define NET   SOLO5_MFT_DEV_NET_BASIC
#define BLOCK SOLO5_MFT_DEV_BLOCK_BASIC

TEST(match_by_order_and_by_name)
{
    static const uint32_t types[] = {VIRTIO_ID_BLOCK, VIRTIO_ID_NET,
                                     VIRTIO_ID_CONSOLE, VIRTIO_ID_NET,
                                     VIRTIO_ID_BLOCK};
    static const uint32_t kinds[] = {NET, NET, BLOCK, BLOCK};
    static const char *const names[] = {"n0", "n1", "b0", "b1"};
    struct solo5_mft *m = manifest(4, kinds, names);
    static struct virtio_args a;
    int assign[8];
    char msg[MATCH_MSG_SIZE];
    CHECK_INT(virtio_match(types, 5, m, &a, assign, msg), 0);
    CHECK_INT(assign[0], -1);
    CHECK_INT(assign[1], 1);
    CHECK_INT(assign[2], 3);
    CHECK_INT(assign[3], 0);
    CHECK_INT(assign[4], 4);
    /* Assigned by name: n0 the second net, b1 the first block; the
     * others take what is left, in order. */
    a.nmap = 2;
    a.map[0] = (struct virtio_map_arg){"n0", NET, 1};
    a.map[1] = (struct virtio_map_arg){"b1", BLOCK, 0};
    CHECK_INT(virtio_match(types, 5, m, &a, assign, msg), 0);
    CHECK_INT(assign[1], 3);
    CHECK_INT(assign[2], 1);
    CHECK_INT(assign[3], 4);
    CHECK_INT(assign[4], 0);
}

TEST(match_errors)
{
    static const uint32_t types[] = {VIRTIO_ID_NET, VIRTIO_ID_BLOCK};
    static const uint32_t kinds[] = {NET, NET};
    static const char *const names[] = {"service", "other"};
    struct solo5_mft *m = manifest(2, kinds, names);
    static struct virtio_args a;
    int assign[8];
    char msg[MATCH_MSG_SIZE];
    CHECK_INT(virtio_match(types, 2, m, &a, assign, msg), -1);
    CHECK_STR(msg, "net 'other': no virtio-net device left for it (found 1)");
    a.nmap = 1;
    a.map[0] = (struct virtio_map_arg){"nosuch", NET, 0};
    CHECK_INT(virtio_match(types, 2, m, &a, assign, msg), -1);
    CHECK_STR(msg, "virtio.net:nosuch=0: the image has no net device of that "
                   "name");
    a.map[0] = (struct virtio_map_arg){"service", NET, 1};
    CHECK_INT(virtio_match(types, 2, m, &a, assign, msg), -1);
    CHECK_STR(msg, "virtio.net:service=1: there are only 1 virtio-net devices");
    a.nmap = 2;
    a.map[0] = (struct virtio_map_arg){"service", NET, 0};
    a.map[1] = (struct virtio_map_arg){"other", NET, 0};
    CHECK_INT(virtio_match(types, 2, m, &a, assign, msg), -1);
    CHECK_STR(msg, "virtio.net:other=0: that device is already given to "
                   "another");
    /* A block name is not a net name. */
    a.nmap = 1;
    a.map[0] = (struct virtio_map_arg){"service", BLOCK, 0};
    CHECK_INT(virtio_match(types, 2, m, &a, assign, msg), -1);
    CHECK_STR(msg, "virtio.block:service=0: the image has no block device of "
                   "that name");
}

TEST(rtc_registers)
{
    /* 2026-12-06 07:30:05 in BCD, 24-hour mode, century 20. */
    struct rtc_regs r = {0x05, 0x30, 0x07, 0x06, 0x12, 0x26, 0x20, 0x02};
    CHECK_INT(rtc_unix_time(&r), 1796542205);
    /* The same in binary, 12-hour mode, 7 AM. */
    struct rtc_regs b = {5, 30, 7, 6, 12, 26, 20, RTC_B_BINARY};
    CHECK_INT(rtc_unix_time(&b), 1796542205);
    b.hour = 7 | RTC_PM; /* 7 PM */
    CHECK_INT(rtc_unix_time(&b), 1796542205 + 12 * 3600);
    b.hour = 12; /* 12 AM is midnight */
    CHECK_INT(rtc_unix_time(&b), 1796542205 - 7 * 3600);
    /* No century register: years below 70 are 20xx. */
    r.century = 0xff;
    CHECK_INT(rtc_unix_time(&r), 1796542205);
    r.year = 0x99;
    CHECK_INT(rtc_unix_time(&r), rtc_days_from_civil(1999, 12, 6) * 86400 +
                                     7 * 3600 + 30 * 60 + 5);
    CHECK_INT(rtc_days_from_civil(1970, 1, 1), 0);
    CHECK_INT(rtc_days_from_civil(2000, 3, 1), 11017);
    CHECK_INT(rtc_days_from_civil(2024, 2, 29), 19782);
}

TEST(rtc_absent_or_garbage)
{
    struct rtc_regs none = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    CHECK_INT(rtc_unix_time(&none), -1);
    struct rtc_regs r = {0x05, 0x30, 0x07, 0x06, 0x12, 0x26, 0x20, 0x02};
    r.mon = 0x13;
    CHECK_INT(rtc_unix_time(&r), -1);
    r.mon = 0x00;
    CHECK_INT(rtc_unix_time(&r), -1);
    r.mon = 0x12;
    r.sec = 0x5a; /* not BCD */
    CHECK_INT(rtc_unix_time(&r), -1);
    r.sec = 0x60;
    CHECK_INT(rtc_unix_time(&r), -1);
    r.sec = 0;
    r.status_b = 0; /* 12-hour BCD: hour 0 does not exist */
    r.hour = 0;
    CHECK_INT(rtc_unix_time(&r), -1);
}

TEST(aml_s5_package)
{
    /* Name (_S5, Package (0x04) {Zero, Zero, Zero, Zero}) as QEMU's q35
     * DSDT has it, after other bytes. */
    const uint8_t q35[] = {0x10, 0x08, '_',  'S',  'B',  '_',
                           0x08, '_',  'S',  '5',  '_',  0x12,
                           0x06, 0x04, 0x00, 0x00, 0x00, 0x00};
    uint8_t a = 9, b = 9;
    CHECK_INT(aml_s5(q35, sizeof q35, &a, &b), 0);
    CHECK(a == 0 && b == 0);
    /* \_S5 with byte constants 5 and 7. */
    const uint8_t hw[] = {0x08, '\\', '_',  'S',  '5',  '_', 0x12,
                          0x08, 0x02, 0x0a, 0x05, 0x0a, 0x07};
    CHECK_INT(aml_s5(hw, sizeof hw, &a, &b), 0);
    CHECK(a == 5 && b == 7);
    /* Cut short, not a package, a method, absent. */
    CHECK_INT(aml_s5(hw, sizeof hw - 1, &a, &b), -1);
    const uint8_t notpkg[] = {0x08, '_', 'S', '5', '_', 0x0a, 0x05};
    CHECK_INT(aml_s5(notpkg, sizeof notpkg, &a, &b), -1);
    const uint8_t method[] = {0x14, '_',  'S',  '5',  '_',  0x12,
                              0x06, 0x04, 0x00, 0x00, 0x00, 0x00};
    CHECK_INT(aml_s5(method, sizeof method, &a, &b), -1);
    const uint8_t none[] = {0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0, 0};
    CHECK_INT(aml_s5(none, sizeof none, &a, &b), -1);
    CHECK_INT(aml_s5(none, 0, &a, &b), -1);
}

int main(void)
{
    return test_main();
}
