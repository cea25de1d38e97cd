/* Tests of lib/block: request checks, the ramdisk and block_of_file (over
 * the fake platform block device of fake_plat_block.c). */
#include <mirage/block.h>
#include <mirage/error.h>
#include <stdlib.h>

#include "fake_plat_block.h"
#include "test.h"

static unsigned char buf[3 * 4096], back[3 * 4096];

static void pattern(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * 7 + seed);
}

TEST(ramdisk_reads_zeros_and_writes_back)
{
    struct mirage_block *b;
    CHECK_INT(mirage_block_ramdisk_create(&b, "r", 1000, 512, true), 0);
    struct mirage_block_info i = mirage_block_get_info(b);
    CHECK_INT(i.sector_size, 512);
    CHECK_INT(i.sectors, 1000);
    CHECK(i.read_write);
    memset(back, 0xff, sizeof back);
    CHECK_INT(mirage_block_read(b, 999, back, 512), 0);
    CHECK(back[0] == 0 && back[511] == 0);
    /* A write across a 64 KiB chunk boundary (sector 128). */
    pattern(buf, 3 * 512, 1);
    CHECK_INT(mirage_block_write(b, 127, buf, 3 * 512), 0);
    CHECK_INT(mirage_block_read(b, 127, back, 3 * 512), 0);
    CHECK(memcmp(buf, back, 3 * 512) == 0);
    CHECK_INT(mirage_block_read(b, 128, back, 512), 0);
    CHECK(memcmp(buf + 512, back, 512) == 0);
    mirage_block_disconnect(b);
}

TEST(requests_are_checked_before_any_io)
{
    struct mirage_block *b;
    CHECK_INT(mirage_block_ramdisk_create(&b, "r", 8, 512, true), 0);
    pattern(buf, 1024, 3);
    CHECK_INT(mirage_block_write(b, 0, buf, 0), MIRAGE_ERANGE);
    CHECK_INT(mirage_block_write(b, 0, buf, 100), MIRAGE_ERANGE);
    CHECK_INT(mirage_block_read(b, 0, buf, 513), MIRAGE_ERANGE);
    CHECK_INT(mirage_block_read(b, 8, buf, 512), MIRAGE_ERANGE);
    CHECK_INT(mirage_block_read(b, UINT64_MAX, buf, 512), MIRAGE_ERANGE);
    /* Partly out of range: nothing is written. */
    CHECK_INT(mirage_block_write(b, 7, buf, 1024), MIRAGE_ERANGE);
    CHECK_INT(mirage_block_read(b, 7, back, 512), 0);
    CHECK(back[0] == 0 && back[1] == 0 && back[511] == 0);
    CHECK_INT(mirage_block_read(b, 0, NULL, 512), MIRAGE_EINVAL);
    CHECK_INT(mirage_block_read(NULL, 0, buf, 512), MIRAGE_EINVAL);
    CHECK_INT(mirage_block_write(NULL, 0, buf, 512), MIRAGE_EINVAL);
    mirage_block_disconnect(b);
    mirage_block_disconnect(NULL);
}

TEST(read_only_ramdisk_refuses_writes)
{
    struct mirage_block *b;
    CHECK_INT(mirage_block_ramdisk_create(&b, "ro", 4, 4096, false), 0);
    CHECK_INT(mirage_block_write(b, 0, buf, 4096), MIRAGE_EROFS);
    CHECK_INT(mirage_block_read(b, 1, back, 2 * 4096), 0);
    mirage_block_disconnect(b);
}

TEST(ramdisk_create_rejects_bad_geometry)
{
    struct mirage_block *b = (struct mirage_block *)buf;
    CHECK_INT(mirage_block_ramdisk_create(&b, "r", 0, 512, true),
              MIRAGE_EINVAL);
    CHECK(b == NULL);
    CHECK_INT(mirage_block_ramdisk_create(&b, "r", 1, 256, true),
              MIRAGE_EINVAL);
    CHECK_INT(mirage_block_ramdisk_create(&b, "r", 1, 1000, true),
              MIRAGE_EINVAL);
    CHECK_INT(mirage_block_ramdisk_create(&b, "r", 1, 131072, true),
              MIRAGE_EINVAL);
    CHECK_INT(mirage_block_ramdisk_create(&b, "", 1, 512, true), MIRAGE_EINVAL);
    CHECK_INT(mirage_block_ramdisk_create(&b, "r", UINT64_MAX / 256, 512, true),
              MIRAGE_EINVAL);
    CHECK_INT(mirage_block_ramdisk_create(NULL, "r", 1, 512, true),
              MIRAGE_EINVAL);
    /* Beyond 1 TiB. */
    CHECK_INT(mirage_block_ramdisk_create(&b, "r", (1ull << 31) + 1, 512, true),
              MIRAGE_EINVAL);
}

TEST(connect_ramdisk_shares_by_name)
{
    struct mirage_block *a, *b, *c;
    CHECK_INT(mirage_block_connect_ramdisk(&a, "disk", 16), 0);
    CHECK_INT(mirage_block_connect_ramdisk(&b, "disk", 99), 0);
    CHECK_INT(mirage_block_connect_ramdisk(&c, "other", 99), 0);
    CHECK(a == b && a != c);
    CHECK_INT(b->info.sectors, 16);
    CHECK_STR(c->name, "other");
    CHECK_INT(mirage_block_connect_ramdisk(&c, "x", 0), MIRAGE_EINVAL);
    CHECK_INT(mirage_block_connect_ramdisk(&c, NULL, 1), MIRAGE_EINVAL);
    mirage_block_disconnect(c);
    mirage_block_disconnect(a);
    CHECK_INT(mirage_block_connect_ramdisk(&b, "disk", 4), 0);
    CHECK_INT(b->info.sectors, 4);
    mirage_block_disconnect(b);
}

TEST(file_device_moves_many_sectors)
{
    fake_block_setup("disk.img", 64 * 512, 512, false);
    struct mirage_block *b;
    CHECK_INT(mirage_block_connect_file(&b, "disk.img"), 0);
    CHECK_STR(b->name, "disk.img");
    CHECK_INT(b->info.sectors, 64);
    CHECK_INT(b->info.sector_size, 512);
    CHECK(b->info.read_write);
    pattern(buf, 3 * 512, 9);
    CHECK_INT(mirage_block_write(b, 61, buf, 3 * 512), 0);
    CHECK(memcmp(fake_block_data() + 61 * 512, buf, 3 * 512) == 0);
    CHECK_INT(mirage_block_read(b, 61, back, 3 * 512), 0);
    CHECK(memcmp(back, buf, 3 * 512) == 0);
    CHECK_INT(mirage_block_read(b, 62, back, 3 * 512), MIRAGE_ERANGE);
    mirage_block_disconnect(b);
}

TEST(file_device_big_sectors_and_read_only)
{
    fake_block_setup("ro.img", 8 * 4096, 4096, true);
    struct mirage_block *b;
    CHECK_INT(mirage_block_connect_file(&b, "ro.img"), 0);
    CHECK_INT(b->info.sector_size, 4096);
    CHECK_INT(b->info.sectors, 8);
    CHECK(!b->info.read_write);
    CHECK_INT(mirage_block_write(b, 0, buf, 4096), MIRAGE_EROFS);
    CHECK_INT(mirage_block_read(b, 0, buf, 512), MIRAGE_ERANGE);
    CHECK_INT(mirage_block_read(b, 6, buf, 2 * 4096), 0);
    mirage_block_disconnect(b);
}

TEST(file_device_errors)
{
    struct mirage_block *b;
    fake_block_setup("disk.img", 4 * 512, 512, false);
    CHECK_INT(mirage_block_connect_file(&b, "missing.img"), MIRAGE_ENOENT);
    CHECK_INT(mirage_block_connect_file(&b, ""), MIRAGE_EINVAL);
    CHECK_INT(mirage_block_connect_file(&b, NULL), MIRAGE_EINVAL);
    CHECK_INT(mirage_block_connect_file(NULL, "disk.img"), MIRAGE_EINVAL);
    fake_block_acquire_fails = true;
    CHECK_INT(mirage_block_connect_file(&b, "disk.img"), MIRAGE_EIO);
    /* A platform block size the interface does not allow. */
    fake_block_setup("odd.img", 4 * 520, 520, false);
    CHECK_INT(mirage_block_connect_file(&b, "odd.img"), MIRAGE_EIO);

    fake_block_setup("disk.img", 4 * 512, 512, false);
    CHECK_INT(mirage_block_connect_file(&b, "disk.img"), 0);
    fake_block_fail_at = 2; /* the second block of the request */
    CHECK_INT(mirage_block_read(b, 0, buf, 3 * 512), MIRAGE_EIO);
    fake_block_fail_at = 4; /* calls 3 and 4 are the write's */
    CHECK_INT(mirage_block_write(b, 1, buf, 2 * 512), MIRAGE_EIO);
    mirage_block_disconnect(b);
}

int main(void)
{
    return test_main();
}
