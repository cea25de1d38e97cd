/* Tests of the archive store and its tar scanner over crafted images:
 * each format feature, and each kind of damage giving an error with a
 * message rather than a crash. */
#include <mirage/block.h>
#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/kv/tar.h"
#include "fake_plat.h"
#include "tar_writer.h"
#include "test.h"

static struct mirage_block *disk;

/* Put the image on a fresh ramdisk of sector_size sectors and connect an
 * archive store to it; returns what connect returned. */
static int open_image(struct tar_img *t, uint32_t sector_size,
                      struct mirage_kv_ro **kv)
{
    size_t sectors = (t->len + sector_size - 1) / sector_size;
    if (sectors == 0)
        sectors = 1;
    if (mirage_block_ramdisk_create(&disk, "tar", sectors, sector_size, true) !=
        0)
        abort();
    unsigned char *buf = calloc(sectors, sector_size);
    memcpy(buf, t->data, t->len);
    if (mirage_block_write(disk, 0, buf, sectors * sector_size) != 0)
        abort();
    free(buf);
    tw_free(t);
    fake_console_capture(true);
    int err = mirage_kv_ro_connect_archive(kv, disk);
    fake_console_capture(false);
    if (err)
        mirage_block_disconnect(disk);
    return err;
}

static void close_image(struct mirage_kv_ro *kv)
{
    mirage_kv_ro_disconnect(kv);
    mirage_block_disconnect(disk);
}

static bool value_is(struct mirage_kv_ro *kv, const char *key, const char *want)
{
    void *data;
    size_t len;
    if (mirage_kv_ro_get(kv, key, &data, &len) != 0)
        return false;
    bool ok = len == strlen(want) && memcmp(data, want, len) == 0;
    free(data);
    return ok;
}

static enum mirage_kv_kind kind_of(struct mirage_kv_ro *kv, const char *key)
{
    enum mirage_kv_kind k;
    return mirage_kv_ro_exists(kv, key, &k) ? (enum mirage_kv_kind)99 : k;
}

TEST(archive_reads_ustar_members)
{
    struct tar_img t = {0};
    tw_header(&t, "site/", '5', 0, 1600000000, NULL, NULL);
    tw_file(&t, "site/index.html", "<h1>hi</h1>\n");
    tw_file(&t, "site/css/a.css", "body{}");
    tw_file(&t, "top.txt", "top\n");
    tw_header(&t, "empty", '0', 0, 5, NULL, NULL);
    tw_end(&t);
    struct mirage_kv_ro *kv;
    CHECK_INT(open_image(&t, 512, &kv), 0);
    CHECK(value_is(kv, "site/index.html", "<h1>hi</h1>\n"));
    CHECK(value_is(kv, "site/css/a.css", "body{}"));
    CHECK(value_is(kv, "top.txt", "top\n"));
    CHECK(value_is(kv, "empty", ""));
    CHECK_INT(kind_of(kv, "site/css"), MIRAGE_KV_DICTIONARY);
    CHECK_INT(kind_of(kv, "nothing"), MIRAGE_KV_ABSENT);
    struct mirage_kv_list l;
    CHECK_INT(mirage_kv_ro_list(kv, "site", &l), 0);
    CHECK_INT(l.count, 2);
    CHECK_STR(l.entries[0].key, "site/css");
    CHECK_STR(l.entries[1].key, "site/index.html");
    mirage_kv_list_free(&l);
    uint64_t t_ns, size;
    CHECK_INT(mirage_kv_ro_last_modified(kv, "top.txt", &t_ns), 0);
    CHECK_INT(t_ns, 1700000000ull * 1000000000ull);
    CHECK_INT(mirage_kv_ro_last_modified(kv, "empty", &t_ns), 0);
    CHECK_INT(t_ns, 5000000000ull);
    CHECK_INT(mirage_kv_ro_size(kv, "site/css/a.css", &size), 0);
    CHECK_INT(size, 6);
    close_image(kv);
}

TEST(archive_partial_reads_cross_sectors)
{
    static char big[10000];
    for (size_t i = 0; i < sizeof big - 1; i++)
        big[i] = (char)('a' + i % 23);
    struct tar_img t = {0};
    tw_file(&t, "first", "x");
    tw_file(&t, "big", big);
    tw_end(&t);
    struct mirage_kv_ro *kv;
    CHECK_INT(open_image(&t, 4096, &kv), 0);
    CHECK(value_is(kv, "big", big));
    void *data;
    size_t len;
    CHECK_INT(mirage_kv_ro_get_partial(kv, "big", 3000, 5000, &data, &len), 0);
    CHECK(len == 5000 && memcmp(data, big + 3000, 5000) == 0);
    free(data);
    CHECK_INT(mirage_kv_ro_get_partial(kv, "big", 9990, 100, &data, &len), 0);
    CHECK(len == 9 && memcmp(data, big + 9990, 9) == 0);
    free(data);
    close_image(kv);
}

TEST(archive_ustar_prefix_and_dot_names)
{
    struct tar_img t = {0};
    tw_header(&t, "./", '5', 0, 0, NULL, NULL);
    tw_header(&t, "file.txt", '0', 3, 0, NULL, "a/very/long/prefix");
    tw_data(&t, "abc", 3);
    tw_file(&t, ".//./dot//name", "d");
    tw_end(&t);
    struct mirage_kv_ro *kv;
    CHECK_INT(open_image(&t, 512, &kv), 0);
    CHECK(value_is(kv, "a/very/long/prefix/file.txt", "abc"));
    CHECK(value_is(kv, "dot/name", "d"));
    close_image(kv);
}

TEST(archive_gnu_long_names_and_hard_links)
{
    char longname[400];
    memset(longname, 'q', sizeof longname);
    memcpy(longname, "deep/", 5);
    longname[200] = '/';
    longname[sizeof longname - 1] = '\0';
    struct tar_img t = {0};
    tw_header(&t, "././@LongLink", 'L', strlen(longname) + 1, 0, NULL, NULL);
    tw_data(&t, longname, strlen(longname) + 1);
    tw_header(&t, "truncated-name", '0', 4, 0, NULL, NULL);
    tw_data(&t, "long", 4);
    tw_header(&t, "././@LongLink", 'K', strlen(longname) + 1, 0, NULL, NULL);
    tw_data(&t, longname, strlen(longname) + 1);
    tw_header(&t, "alias", '1', 0, 0, "ignored", NULL);
    tw_header(&t, "link2", '1', 0, 0, "alias", NULL);
    tw_header(&t, "sym", '2', 0, 0, "alias", NULL);
    tw_header(&t, "fifo", '6', 0, 0, NULL, NULL);
    tw_end(&t);
    struct mirage_kv_ro *kv;
    CHECK_INT(open_image(&t, 512, &kv), 0);
    CHECK(value_is(kv, longname, "long"));
    CHECK(value_is(kv, "alias", "long"));
    CHECK(value_is(kv, "link2", "long"));
    CHECK_INT(kind_of(kv, "sym"), MIRAGE_KV_ABSENT);
    CHECK_INT(kind_of(kv, "fifo"), MIRAGE_KV_ABSENT);
    CHECK_INT(kind_of(kv, "truncated-name"), MIRAGE_KV_ABSENT);
    close_image(kv);
}

/* Append the pax record "LEN text\n" to buf (LEN counting itself). */
static void rec(char *buf, const char *text)
{
    size_t n = strlen(text) + 2; /* the space and the newline */
    size_t digits = n < 8 ? 1 : n < 97 ? 2 : 3;
    sprintf(buf + strlen(buf), "%zu %s\n", n + digits, text);
}

TEST(archive_pax_records)
{
    char g[64] = "", x[128] = "", x2[64] = "";
    rec(g, "mtime=1500000000.123");
    rec(x, "path=pax/named/by/record");
    rec(x, "size=5");
    rec(x, "foo=bar");
    rec(x2, "mtime=42.5");
    struct tar_img t = {0};
    tw_pax(&t, 'g', g);
    tw_pax(&t, 'x', x);
    tw_header(&t, "short", '0', 999, 7, NULL, NULL); /* size from pax */
    tw_data(&t, "12345", 5);
    tw_pax(&t, 'x', x2);
    tw_file(&t, "plain", "p");
    tw_end(&t);
    struct mirage_kv_ro *kv;
    CHECK_INT(open_image(&t, 512, &kv), 0);
    CHECK(value_is(kv, "pax/named/by/record", "12345"));
    CHECK(value_is(kv, "plain", "p"));
    uint64_t ns;
    CHECK_INT(mirage_kv_ro_last_modified(kv, "pax/named/by/record", &ns), 0);
    CHECK_INT(ns, 1500000000123000000ull);
    CHECK_INT(mirage_kv_ro_last_modified(kv, "plain", &ns), 0);
    CHECK_INT(ns, 42500000000ull);
    close_image(kv);
}

TEST(archive_last_member_wins_and_no_end_marker)
{
    struct tar_img t = {0};
    tw_file(&t, "same", "old");
    tw_header(&t, "dir", '5', 0, 0, NULL, NULL);
    tw_header(&t, "dir/", '5', 0, 77, NULL, NULL);
    tw_file(&t, "same", "new");
    struct mirage_kv_ro *kv;
    CHECK_INT(open_image(&t, 512, &kv), 0);
    CHECK(value_is(kv, "same", "new"));
    uint64_t ns;
    CHECK_INT(mirage_kv_ro_last_modified(kv, "dir", &ns), 0);
    CHECK_INT(ns, 77000000000ull);
    close_image(kv);
}

TEST(archive_of_zeros_is_empty)
{
    struct tar_img t = {0};
    tw_end(&t);
    struct mirage_kv_ro *kv;
    CHECK_INT(open_image(&t, 512, &kv), 0);
    struct mirage_kv_list l;
    CHECK_INT(mirage_kv_ro_list(kv, "", &l), 0);
    CHECK_INT(l.count, 0);
    close_image(kv);
}

/* An image whose connect must fail with err and log a message holding
 * `says`. */
static bool fails_with(struct tar_img *t, int err, const char *says)
{
    struct mirage_kv_ro *kv;
    int got = open_image(t, 512, &kv);
    if (got == 0)
        close_image(kv);
    if (got != err) {
        printf("  got %d (%s)\n", got, fake_console_text());
        return false;
    }
    if (!strstr(fake_console_text(), says)) {
        printf("  message: %s", fake_console_text());
        return false;
    }
    return true;
}

TEST(archive_rejects_bad_checksum)
{
    struct tar_img t = {0};
    tw_file(&t, "a", "1");
    size_t at = tw_header(&t, "b", '0', 1, 0, NULL, NULL);
    tw_data(&t, "2", 1);
    t.data[at + 1] = 'X'; /* the name changed, the checksum did not */
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_EBADF, "offset 1024: bad checksum"));
}

TEST(archive_rejects_truncated_data)
{
    struct tar_img t = {0};
    tw_header(&t, "a", '0', 5000, 0, NULL, NULL);
    tw_data(&t, "short", 5);
    CHECK(fails_with(&t, MIRAGE_EBADF, "data truncated"));
}

TEST(archive_rejects_bad_number_fields)
{
    struct tar_img t = {0};
    size_t at = tw_header(&t, "a", '0', 0, 0, NULL, NULL);
    memcpy(t.data + at + 124, "12x4", 4);
    tw_fix_checksum(&t, at);
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_EBADF, "bad size field"));
    at = tw_header(&t, "a", '0', 0, 0, NULL, NULL);
    t.data[at + 124] = 0xff; /* negative base-256 */
    tw_fix_checksum(&t, at);
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_EBADF, "bad size field"));
    at = tw_header(&t, "a", '0', 0, 0, NULL, NULL);
    memcpy(t.data + at + 136, "9", 1);
    tw_fix_checksum(&t, at);
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_EBADF, "bad mtime field"));
    at = tw_header(&t, "a", '0', 0, 0, NULL, NULL);
    memcpy(t.data + at + 148, "zz", 2);
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_EBADF, "bad checksum"));
}

TEST(archive_reads_base256_sizes)
{
    struct tar_img t = {0};
    size_t at = tw_header(&t, "b256", '0', 0, 0, NULL, NULL);
    memset(t.data + at + 124, 0, 12);
    t.data[at + 124] = 0x80;
    t.data[at + 135] = 3;
    tw_fix_checksum(&t, at);
    tw_data(&t, "xyz", 3);
    tw_end(&t);
    struct mirage_kv_ro *kv;
    CHECK_INT(open_image(&t, 512, &kv), 0);
    CHECK(value_is(kv, "b256", "xyz"));
    close_image(kv);
}

TEST(archive_rejects_dot_dot_and_long_names)
{
    struct tar_img t = {0};
    tw_file(&t, "a/../../etc/passwd", "x");
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_EBADF, "name has '..'"));
    char seg[300];
    memset(seg, 's', sizeof seg);
    seg[sizeof seg - 1] = '\0';
    tw_header(&t, "././@LongLink", 'L', sizeof seg, 0, NULL, NULL);
    tw_data(&t, seg, sizeof seg);
    tw_file(&t, "x", "1");
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_ENAMETOOLONG, "name too long"));
    tw_header(&t, "././@LongLink", 'L', 100000, 0, NULL, NULL);
    tw_data(&t, "", 1);
    for (int i = 0; i < 200; i++)
        tw_data(&t, "", 1);
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_ENAMETOOLONG, "GNU long name"));
}

TEST(archive_rejects_sparse_members)
{
    struct tar_img t = {0};
    tw_header(&t, "sparse", 'S', 0, 0, NULL, NULL);
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_ENOTSUP, "sparse"));
    tw_header(&t, "vol", 'M', 0, 0, NULL, NULL);
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_ENOTSUP, "multi-volume"));
}

TEST(archive_rejects_malformed_pax)
{
    static const char *bad[] = {
        "abc\n",                          /* no length */
        "99 path=x\n",                    /* longer than the header */
        "5 path=x\n",                     /* shorter than its text */
        "10 pathxyz\n",                   /* no '=' */
        "9 =value\n",                     /* empty keyword */
        "11 path=x\nX",                   /* not ended by a newline */
        "12 size=12a\n",                  /* size not decimal */
        "12 mtime=-1\n",                  /* negative time */
        "31 size=99999999999999999999\n", /* over 64 bits */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct tar_img t = {0};
        tw_pax(&t, 'x', bad[i]);
        tw_file(&t, "a", "1");
        tw_end(&t);
        if (!fails_with(&t, MIRAGE_EBADF, "pax header at offset 0")) {
            test_fail(__FILE__, __LINE__, "pax case %zu accepted", i);
            return;
        }
    }
    struct tar_img t = {0};
    tw_header(&t, "huge", 'x', 2 * 1024 * 1024, 0, NULL, NULL);
    for (int i = 0; i < 4097; i++)
        tw_data(&t, "", 1);
    CHECK(fails_with(&t, MIRAGE_EBADF, "too large"));
    tw_pax(&t, 'x', "11 path=a\001\n");
    t.data[512 + 9] = '\0'; /* a NUL inside the path */
    tw_file(&t, "a", "1");
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_EBADF, "bad value for 'path'"));
}

TEST(archive_rejects_conflicting_members)
{
    struct tar_img t = {0};
    tw_file(&t, "f", "1");
    tw_file(&t, "f/g", "2");
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_EBADF, "a file and a directory"));
    tw_file(&t, "d/g", "1");
    tw_file(&t, "d", "2");
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_EBADF, "a file and a directory"));
    tw_file(&t, "v", "1");
    tw_header(&t, "v", '5', 0, 0, NULL, NULL);
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_EBADF, "a file and a directory"));
    tw_header(&t, "l", '1', 0, 0, "nowhere", NULL);
    tw_end(&t);
    CHECK(fails_with(&t, MIRAGE_EBADF, "hard link to 'nowhere'"));
}

/* A block device whose reads fail after `good` of them. */
static int good_reads;
static int failing_read(struct mirage_block *b, uint64_t sector, void *buf,
                        size_t len)
{
    (void)b, (void)sector;
    if (good_reads-- <= 0)
        return MIRAGE_EIO;
    memset(buf, 0, len);
    return 0;
}
static void no_disconnect(struct mirage_block *b)
{
    (void)b;
}
static const struct mirage_block_ops failing_ops = {failing_read, NULL,
                                                    no_disconnect};

TEST(archive_reports_device_errors)
{
    struct mirage_block b = {&failing_ops, "bad", {512, 8, false}};
    struct mirage_kv_ro *kv;
    good_reads = 0;
    fake_console_capture(true);
    int err = mirage_kv_ro_connect_archive(&kv, &b);
    fake_console_capture(false);
    CHECK_INT(err, MIRAGE_EIO);
    CHECK(strstr(fake_console_text(), "bad: tar: cannot read") != NULL);
    CHECK_INT(mirage_kv_ro_connect_archive(&kv, NULL), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_archive(NULL, &b), MIRAGE_EINVAL);
}

/* tar_scan on memory: headers cut short at the end of the input. */
static const unsigned char *mem_img;
static int mem_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
    (void)ctx;
    memcpy(buf, mem_img + offset, len);
    return 0;
}
static int count_member(void *ctx, const struct tar_member *m, char *msg,
                        size_t msglen)
{
    (void)m, (void)msg, (void)msglen;
    ++*(int *)ctx;
    return 0;
}

TEST(tar_scan_rejects_truncated_header)
{
    struct tar_img t = {0};
    tw_file(&t, "a", "1");
    tw_file(&t, "b", "2");
    mem_img = t.data;
    int n = 0;
    char msg[128];
    CHECK_INT(
        tar_scan(mem_read, count_member, &n, t.len - 600, msg, sizeof msg),
        MIRAGE_EBADF);
    CHECK(strstr(msg, "offset 1024: truncated") != NULL);
    n = 0;
    CHECK_INT(tar_scan(mem_read, count_member, &n, t.len, msg, sizeof msg), 0);
    CHECK_INT(n, 2);
    /* The last member's padding may be cut off. */
    n = 0;
    CHECK_INT(
        tar_scan(mem_read, count_member, &n, t.len - 511, msg, sizeof msg), 0);
    CHECK_INT(n, 2);
    tw_free(&t);
}

int main(void)
{
    return test_main();
}
