/* DHCP messages (lib/dhcp/wire.c): the layout of what the client sends,
 * and the parser of replies on good, malformed and hostile input. */
#include "../../lib/dhcp/wire.h"
#include "dhcp_test.h"
#include "test.h"

#include <mirage/buf.h>
#include <mirage/error.h>

static const uint8_t mac[6] = {2, 0, 0, 0, 0, 9};

TEST(discover_layout)
{
    uint8_t b[DHCP_SEND_MAX];
    struct dhcp_out m = {
        .type = DHCP_DISCOVER,
        .xid = 0x01020304,
        .secs = 7,
        .broadcast = true,
        .requested_ip = MIRAGE_IPV4(10, 0, 0, 5),
        .hostname = "uni",
        .max_size = 1500,
    };
    memcpy(m.mac, mac, 6);
    size_t len = dhcp_build(&m, b);
    CHECK_INT(len, DHCP_MIN_SEND);
    CHECK_INT(b[0], 1);
    CHECK_INT(b[1], 1);
    CHECK_INT(b[2], 6);
    CHECK_INT(mirage_get_be32(b + 4), 0x01020304);
    CHECK_INT(mirage_get_be16(b + 8), 7);
    CHECK_INT(mirage_get_be16(b + 10), 0x8000);
    CHECK_INT(mirage_get_be32(b + 12), 0);
    CHECK(memcmp(b + 28, mac, 6) == 0);
    CHECK(b[236] == 99 && b[237] == 130 && b[238] == 83 && b[239] == 99);
    size_t n;
    const uint8_t *v = dhcp_test_opt(b, len, 53, &n);
    CHECK(v && n == 1 && v[0] == DHCP_DISCOVER);
    v = dhcp_test_opt(b, len, 61, &n);
    CHECK(v && n == 7 && v[0] == 1 && memcmp(v + 1, mac, 6) == 0);
    v = dhcp_test_opt(b, len, 50, &n);
    CHECK(v && n == 4 && mirage_get_be32(v) == MIRAGE_IPV4(10, 0, 0, 5));
    CHECK(!dhcp_test_opt(b, len, 54, &n));
    v = dhcp_test_opt(b, len, 57, &n);
    CHECK(v && n == 2 && mirage_get_be16(v) == 1500);
    v = dhcp_test_opt(b, len, 12, &n);
    CHECK(v && n == 3 && memcmp(v, "uni", 3) == 0);
    v = dhcp_test_opt(b, len, 55, &n);
    CHECK(v && n == 9);
    /* mask, router, DNS, host name, domain, MTU, lease, T1, T2 */
    static const uint8_t params[] = {1, 3, 6, 12, 15, 26, 51, 58, 59};
    CHECK(memcmp(v, params, sizeof params) == 0);
}

TEST(decline_and_release_layout)
{
    uint8_t b[DHCP_SEND_MAX];
    struct dhcp_out m = {
        .type = DHCP_DECLINE,
        .requested_ip = MIRAGE_IPV4(10, 0, 0, 5),
        .server_id = MIRAGE_IPV4(10, 0, 0, 1),
        .hostname = "uni",
        .max_size = 1500,
    };
    size_t len = dhcp_build(&m, b);
    size_t n;
    CHECK_INT(mirage_get_be16(b + 10), 0);
    CHECK(dhcp_test_opt(b, len, 50, &n));
    CHECK(dhcp_test_opt(b, len, 54, &n));
    CHECK(!dhcp_test_opt(b, len, 55, &n));
    CHECK(!dhcp_test_opt(b, len, 12, &n));
    CHECK(!dhcp_test_opt(b, len, 57, &n));
    m = (struct dhcp_out){
        .type = DHCP_RELEASE,
        .ciaddr = MIRAGE_IPV4(10, 0, 0, 5),
        .server_id = MIRAGE_IPV4(10, 0, 0, 1),
    };
    len = dhcp_build(&m, b);
    CHECK_INT(mirage_get_be32(b + 12), MIRAGE_IPV4(10, 0, 0, 5));
    CHECK(!dhcp_test_opt(b, len, 50, &n));
    const uint8_t *v = dhcp_test_opt(b, len, 54, &n);
    CHECK(v && mirage_get_be32(v) == MIRAGE_IPV4(10, 0, 0, 1));
}

TEST(long_hostname_is_cut)
{
    char name[100];
    memset(name, 'h', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    uint8_t b[DHCP_SEND_MAX];
    struct dhcp_out m = {.type = DHCP_REQUEST, .hostname = name};
    size_t len = dhcp_build(&m, b), n;
    CHECK(dhcp_test_opt(b, len, 12, &n));
    CHECK_INT(n, 63);
}

/* ---- Replies ------------------------------------------------------------ */

static uint8_t r[1600];

/* A reply with the given options (raw bytes after the cookie); returns
 * its length. */
static size_t mk(const uint8_t *opts, size_t n)
{
    memset(r, 0, sizeof r);
    r[0] = 2;
    r[1] = 1;
    r[2] = 6;
    mirage_put_be32(r + 4, 0xabcd);
    mirage_put_be32(r + 16, MIRAGE_IPV4(10, 0, 0, 50));
    memcpy(r + 28, mac, 6);
    r[236] = 99;
    r[237] = 130;
    r[238] = 83;
    r[239] = 99;
    memcpy(r + 240, opts, n);
    return 240 + n;
}
#define MK(...)                                                                \
    mk((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static struct dhcp_in in;
static const char *why;

TEST(good_reply)
{
    size_t len = MK(53, 1, 5, 54, 4, 10, 0, 0, 1, 51, 4, 0, 0, 0, 20, 1, 4, 255,
                    255, 240, 0, 3, 8, 10, 0, 0, 1, 10, 0, 0, 254, 6, 4, 10, 0,
                    0, 53, 26, 2, 5, 220, 12, 4, 'u', 'n', 'i', 0, 15, 7, 'e',
                    'x', 'a', 'm', 'p', 'l', 'e', 58, 4, 0, 0, 0, 8, 59, 4, 0,
                    0, 0, 15, 56, 3, 'o', 0x7, 'k', 255);
    CHECK_INT(dhcp_parse(r, len, &in, &why), 0);
    CHECK_INT(in.type, DHCP_ACK);
    CHECK_INT(in.xid, 0xabcd);
    CHECK(memcmp(in.chaddr, mac, 6) == 0);
    CHECK_INT(in.yiaddr, MIRAGE_IPV4(10, 0, 0, 50));
    CHECK(in.has_server_id && in.server_id == MIRAGE_IPV4(10, 0, 0, 1));
    CHECK(in.has_lease && in.lease_s == 20);
    CHECK(in.has_mask && in.prefix_bits == 20);
    CHECK_INT(in.nrouters, 2);
    CHECK_INT(in.routers[1], MIRAGE_IPV4(10, 0, 0, 254));
    CHECK_INT(in.ndns, 1);
    CHECK_INT(in.dns[0], MIRAGE_IPV4(10, 0, 0, 53));
    CHECK_INT(in.mtu, 1500);
    CHECK_STR(in.hostname, "uni");
    CHECK_STR(in.domain, "example");
    CHECK(in.has_t1 && in.t1_s == 8);
    CHECK(in.has_t2 && in.t2_s == 15);
    CHECK_STR(in.message, "o?k");
    CHECK_INT(in.bad_options, 0);
}

TEST(malformed_replies_are_refused)
{
    size_t len = MK(53, 1, 2, 255);
    CHECK_INT(dhcp_parse(r, 239, &in, &why), MIRAGE_EBADF);
    CHECK_STR(why, "shorter than a DHCP message");
    r[0] = 1;
    CHECK_INT(dhcp_parse(r, len, &in, &why), MIRAGE_EBADF);
    CHECK_STR(why, "not a BOOTREPLY");
    len = MK(53, 1, 2, 255);
    r[2] = 16;
    CHECK_INT(dhcp_parse(r, len, &in, &why), MIRAGE_EBADF);
    CHECK_STR(why, "not for an Ethernet address");
    len = MK(53, 1, 2, 255);
    r[239] = 0;
    CHECK_INT(dhcp_parse(r, len, &in, &why), MIRAGE_EBADF);
    CHECK_STR(why, "no DHCP magic cookie");
    /* An option whose length runs past the end, or with no length. */
    len = MK(53, 1, 2, 6, 200, 10, 0, 0, 1);
    CHECK_INT(dhcp_parse(r, len, &in, &why), MIRAGE_EBADF);
    CHECK_STR(why, "an option runs past the end of the message");
    len = MK(53, 1, 2, 6);
    CHECK_INT(dhcp_parse(r, len, &in, &why), MIRAGE_EBADF);
    /* No type, an unknown type, a type of the wrong length (two type
     * options concatenate to two bytes). */
    len = MK(54, 4, 10, 0, 0, 1, 255);
    CHECK_INT(dhcp_parse(r, len, &in, &why), MIRAGE_EBADF);
    CHECK_STR(why, "no valid message type");
    len = MK(53, 1, 9, 255);
    CHECK_INT(dhcp_parse(r, len, &in, &why), MIRAGE_EBADF);
    CHECK_STR(why, "unknown message type");
    len = MK(53, 1, 2, 53, 1, 5, 255);
    CHECK_INT(dhcp_parse(r, len, &in, &why), MIRAGE_EBADF);
    /* An overloaded file field whose option runs past the field. */
    len = MK(53, 1, 2, 52, 1, 1, 255);
    r[108] = 6;
    r[109] = 200;
    CHECK_INT(dhcp_parse(r, len, &in, &why), MIRAGE_EBADF);
    CHECK_STR(why, "an overloaded option runs past its field");
}

TEST(bad_options_are_ignored)
{
    /* A mask with a hole, DNS servers in 7 bytes, an MTU below 68, a lease
     * in 2 bytes, a host name with a space, a server identifier 0.0.0.0,
     * an overload value of 4, a one-byte router list. */
    size_t len = MK(53, 1, 2, 1, 4, 255, 0, 255, 0, 6, 7, 1, 2, 3, 4, 5, 6, 7,
                    26, 2, 0, 20, 51, 2, 0, 1, 12, 3, 'a', ' ', 'b', 54, 4, 0,
                    0, 0, 0, 52, 1, 4, 3, 1, 9, 255);
    CHECK_INT(dhcp_parse(r, len, &in, &why), 0);
    CHECK(!in.has_mask);
    CHECK_INT(in.ndns, 0);
    CHECK_INT(in.mtu, 0);
    CHECK(!in.has_lease);
    CHECK_STR(in.hostname, "");
    CHECK(!in.has_server_id);
    CHECK_INT(in.nrouters, 0);
    CHECK_INT(in.bad_options, 8);
}

TEST(address_lists_are_filtered_and_bounded)
{
    uint8_t opts[3 + 2 + 4 * 40 + 2 + 16 + 1] = {53, 1, 2, 3, 4 * 40};
    for (int i = 0; i < 40; i++)
        mirage_put_be32(opts + 5 + 4 * i, MIRAGE_IPV4(10, 0, 1, i + 1));
    uint8_t *p = opts + 5 + 4 * 40;
    *p++ = 6;
    *p++ = 16;
    static const uint8_t bad[16] = {0,   0, 0, 0, 255, 255, 255, 255,
                                    127, 0, 0, 1, 224, 0,   0,   1};
    memcpy(p, bad, 16);
    p[16] = 255;
    size_t len = mk(opts, sizeof opts);
    CHECK_INT(dhcp_parse(r, len, &in, &why), 0);
    CHECK_INT(in.nrouters, MIRAGE_DHCP_MAX_ADDRS);
    CHECK_INT(in.routers[7], MIRAGE_IPV4(10, 0, 1, 8));
    CHECK_INT(in.ndns, 0);
    CHECK_INT(in.bad_options, 0);
}

TEST(long_options_are_concatenated)
{
    /* RFC 3396: two DNS options make one list, two host name pieces one
     * name; a domain of 300 bytes in pieces is too long and ignored. */
    uint8_t opts[600] = {53,  1, 5, 6,  4, 10, 0, 0,  1, 12,  2,  'a',
                         'b', 6, 4, 10, 0, 0,  2, 12, 2, 'c', 'd'};
    size_t n = 23;
    for (int k = 0; k < 2; k++) {
        opts[n++] = 15;
        opts[n++] = 150;
        memset(opts + n, 'x', 150);
        n += 150;
    }
    opts[n++] = 255;
    size_t len = mk(opts, n);
    CHECK_INT(dhcp_parse(r, len, &in, &why), 0);
    CHECK_INT(in.ndns, 2);
    CHECK_INT(in.dns[1], MIRAGE_IPV4(10, 0, 0, 2));
    CHECK_STR(in.hostname, "abcd");
    CHECK_STR(in.domain, "");
    CHECK_INT(in.bad_options, 1);
}

TEST(overloaded_fields_are_read)
{
    /* Overload 3: options, then file, then sname. */
    size_t len = MK(53, 1, 5, 52, 1, 3, 6, 4, 10, 0, 0, 1, 255);
    static const uint8_t file[] = {6, 4, 10, 0, 0, 2, 0, 0, 12, 1, 'f', 255};
    static const uint8_t sname[] = {6, 4, 10, 0, 0, 3, 12, 1, 's'};
    memcpy(r + 108, file, sizeof file);
    memcpy(r + 44, sname, sizeof sname);
    CHECK_INT(dhcp_parse(r, len, &in, &why), 0);
    CHECK_INT(in.ndns, 3);
    CHECK_INT(in.dns[1], MIRAGE_IPV4(10, 0, 0, 2));
    CHECK_INT(in.dns[2], MIRAGE_IPV4(10, 0, 0, 3));
    CHECK_STR(in.hostname, "fs");
    /* Without overload the same fields are not options. */
    len = MK(53, 1, 5, 255);
    memcpy(r + 108, file, sizeof file);
    CHECK_INT(dhcp_parse(r, len, &in, &why), 0);
    CHECK_INT(in.ndns, 0);
    /* Overload given in the file field itself does not count. */
    len = MK(53, 1, 5, 255);
    static const uint8_t self[] = {52, 1, 2, 255};
    memcpy(r + 108, self, sizeof self);
    CHECK_INT(dhcp_parse(r, len, &in, &why), 0);
    CHECK_INT(in.bad_options, 0);
}

TEST(end_and_padding)
{
    /* Padding anywhere; no END (the area just ends); bytes after END are
     * ignored even when they would be malformed. */
    size_t len = MK(0, 0, 53, 1, 2, 0, 6, 4, 10, 0, 0, 1);
    CHECK_INT(dhcp_parse(r, len, &in, &why), 0);
    CHECK_INT(in.ndns, 1);
    len = MK(53, 1, 2, 255, 6, 200);
    CHECK_INT(dhcp_parse(r, len, &in, &why), 0);
    CHECK_INT(in.ndns, 0);
    /* Trailing NULs of a host name are dropped; only NULs is empty. */
    len = MK(53, 1, 2, 12, 4, 'a', 'b', 0, 0, 15, 2, 0, 0, 255);
    CHECK_INT(dhcp_parse(r, len, &in, &why), 0);
    CHECK_STR(in.hostname, "ab");
    CHECK_STR(in.domain, "");
    CHECK_INT(in.bad_options, 1);
}

int main(void)
{
    return test_main();
}
