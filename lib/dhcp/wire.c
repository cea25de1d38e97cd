/* DHCP messages on the wire (wire.h): the client's messages, and a
 * defensive parser for servers' replies that validates the whole option
 * structure before reading any option, concatenates repeated options (RFC
 * 3396) and follows option overload into the file and sname fields. */
#include "wire.h"

#include <mirage/buf.h>
#include <mirage/error.h>
#include <string.h>

#define OP_BOOTREQUEST 1
#define OP_BOOTREPLY   2
#define HTYPE_ETHER    1
#define FLAG_BROADCAST 0x8000

/* Offsets of the fixed fields. */
#define OFF_XID    4
#define OFF_SECS   8
#define OFF_FLAGS  10
#define OFF_CIADDR 12
#define OFF_YIADDR 16
#define OFF_CHADDR 28
#define OFF_SNAME  44
#define OFF_FILE   108
#define LEN_SNAME  64
#define LEN_FILE   128

enum option {
    OPT_PAD = 0,
    OPT_MASK = 1,
    OPT_ROUTER = 3,
    OPT_DNS = 6,
    OPT_HOSTNAME = 12,
    OPT_DOMAIN = 15,
    OPT_MTU = 26,
    OPT_REQUESTED_IP = 50,
    OPT_LEASE = 51,
    OPT_OVERLOAD = 52,
    OPT_TYPE = 53,
    OPT_SERVER_ID = 54,
    OPT_PARAMS = 55,
    OPT_MESSAGE = 56,
    OPT_MAX_SIZE = 57,
    OPT_T1 = 58,
    OPT_T2 = 59,
    OPT_CLIENT_ID = 61,
    OPT_END = 255,
};

static const uint8_t cookie[DHCP_COOKIE_LEN] = {99, 130, 83, 99};

/* ---- Building ---------------------------------------------------------- */

static uint8_t *put_opt(uint8_t *p, uint8_t code, const void *data, size_t len)
{
    *p++ = code;
    *p++ = (uint8_t)len;
    memcpy(p, data, len);
    return p + len;
}

static uint8_t *put_addr_opt(uint8_t *p, uint8_t code, mirage_ipv4_addr a)
{
    uint8_t v[4];
    mirage_put_be32(v, a);
    return put_opt(p, code, v, 4);
}

size_t dhcp_build(const struct dhcp_out *m, uint8_t buf[DHCP_SEND_MAX])
{
    static const uint8_t params[] = {
        OPT_MASK, OPT_ROUTER, OPT_DNS, OPT_HOSTNAME, OPT_DOMAIN,
        OPT_MTU,  OPT_LEASE,  OPT_T1,  OPT_T2,
    };
    memset(buf, 0, DHCP_SEND_MAX);
    buf[0] = OP_BOOTREQUEST;
    buf[1] = HTYPE_ETHER;
    buf[2] = 6;
    mirage_put_be32(buf + OFF_XID, m->xid);
    mirage_put_be16(buf + OFF_SECS, m->secs);
    mirage_put_be16(buf + OFF_FLAGS, m->broadcast ? FLAG_BROADCAST : 0);
    mirage_put_be32(buf + OFF_CIADDR, m->ciaddr);
    memcpy(buf + OFF_CHADDR, m->mac, 6);
    memcpy(buf + DHCP_FIXED_LEN, cookie, DHCP_COOKIE_LEN);
    uint8_t *p = buf + DHCP_FIXED_LEN + DHCP_COOKIE_LEN;
    uint8_t type = (uint8_t)m->type;
    p = put_opt(p, OPT_TYPE, &type, 1);
    uint8_t client_id[7] = {HTYPE_ETHER};
    memcpy(client_id + 1, m->mac, 6);
    p = put_opt(p, OPT_CLIENT_ID, client_id, sizeof client_id);
    if (m->requested_ip)
        p = put_addr_opt(p, OPT_REQUESTED_IP, m->requested_ip);
    if (m->server_id)
        p = put_addr_opt(p, OPT_SERVER_ID, m->server_id);
    bool asks = m->type == DHCP_DISCOVER || m->type == DHCP_REQUEST ||
                m->type == DHCP_INFORM;
    if (asks) {
        if (m->max_size) {
            uint8_t v[2];
            mirage_put_be16(v, m->max_size);
            p = put_opt(p, OPT_MAX_SIZE, v, 2);
        }
        if (m->hostname && *m->hostname) {
            size_t n = strlen(m->hostname);
            p = put_opt(p, OPT_HOSTNAME, m->hostname, n > 63 ? 63 : n);
        }
        p = put_opt(p, OPT_PARAMS, params, sizeof params);
    }
    *p++ = OPT_END;
    size_t len = (size_t)(p - buf);
    return len < DHCP_MIN_SEND ? DHCP_MIN_SEND : len;
}

/* ---- Parsing ------------------------------------------------------------ */

/* An area holding options: the options field, or an overloaded file or
 * sname field. */
struct area {
    const uint8_t *p;
    size_t len;
};

/* Whether the options of an area are well formed: every option's length
 * lies inside the area (anything after END is ignored). */
static bool area_valid(const struct area *a)
{
    size_t i = 0;
    while (i < a->len) {
        uint8_t code = a->p[i];
        if (code == OPT_END)
            return true;
        if (code == OPT_PAD) {
            i++;
            continue;
        }
        if (i + 1 >= a->len || i + 2 + a->p[i + 1] > a->len)
            return false;
        i += 2 + (size_t)a->p[i + 1];
    }
    return true;
}

/* Concatenate the values of every instance of code, across the areas in
 * order (RFC 3396), into out (cap bytes). Returns the total length, which
 * may exceed cap (then out holds only the first cap bytes); -1 when the
 * option is absent. The areas must be valid. */
static long gather(const struct area *areas, size_t n, uint8_t code,
                   uint8_t *out, size_t cap)
{
    long total = -1;
    for (size_t k = 0; k < n; k++) {
        const struct area *a = &areas[k];
        size_t i = 0;
        while (i < a->len && a->p[i] != OPT_END) {
            if (a->p[i] == OPT_PAD) {
                i++;
                continue;
            }
            size_t len = a->p[i + 1];
            if (a->p[i] == code) {
                size_t have = total < 0 ? 0 : (size_t)total;
                for (size_t j = 0; j < len && have + j < cap; j++)
                    out[have + j] = a->p[i + 2 + j];
                total = (long)(have + len);
            }
            i += 2 + len;
        }
    }
    return total;
}

/* An address a server may name as a router, DNS server or itself. */
static bool usable_addr(mirage_ipv4_addr a)
{
    return a != MIRAGE_IPV4_ANY && a != MIRAGE_IPV4_BROADCAST &&
           (a >> 24) != 127 && (a >> 28) < 0xe;
}

/* One 4-byte option (an address or a time): true with *out set when
 * valid. */
static bool u32_opt(const struct area *areas, size_t n, uint8_t code,
                    uint32_t *out, unsigned *bad)
{
    uint8_t v[4];
    long len = gather(areas, n, code, v, sizeof v);
    if (len < 0)
        return false;
    if (len != 4) {
        (*bad)++;
        return false;
    }
    *out = mirage_get_be32(v);
    return true;
}

/* A list of addresses: the usable ones, at most MIRAGE_DHCP_MAX_ADDRS. */
static size_t addr_list(const struct area *areas, size_t n, uint8_t code,
                        mirage_ipv4_addr *out, unsigned *bad)
{
    uint8_t v[4 * 64];
    long len = gather(areas, n, code, v, sizeof v);
    if (len < 0)
        return 0;
    if (len == 0 || len % 4 != 0) {
        (*bad)++;
        return 0;
    }
    size_t count = 0;
    for (long i = 0; i + 4 <= len && i + 4 <= (long)sizeof v; i += 4) {
        mirage_ipv4_addr a = mirage_get_be32(v + i);
        if (!usable_addr(a))
            continue;
        if (count < MIRAGE_DHCP_MAX_ADDRS)
            out[count++] = a;
    }
    return count;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

/* A host or domain name option into out (cap bytes, NUL-terminated):
 * trailing NULs are dropped; an empty, too long or oddly written value is
 * ignored. */
static void name_opt(const struct area *areas, size_t n, uint8_t code,
                     char *out, size_t cap, unsigned *bad)
{
    uint8_t v[256];
    long len = gather(areas, n, code, v, sizeof v);
    if (len < 0)
        return;
    while (len > 0 && len <= (long)sizeof v && v[len - 1] == 0)
        len--;
    if (len <= 0 || (size_t)len >= cap) {
        (*bad)++;
        return;
    }
    for (long i = 0; i < len; i++) {
        if (!name_char((char)v[i])) {
            (*bad)++;
            return;
        }
    }
    memcpy(out, v, (size_t)len);
    out[len] = '\0';
}

/* Option 56: kept printable (others become '?'), cut to fit. */
static void message_opt(const struct area *areas, size_t n, char *out,
                        size_t cap)
{
    uint8_t v[128];
    long len = gather(areas, n, OPT_MESSAGE, v, sizeof v);
    if (len < 0)
        return;
    size_t k = 0;
    for (long i = 0; i < len && i < (long)sizeof v && k + 1 < cap; i++)
        out[k++] = v[i] >= 0x20 && v[i] < 0x7f ? (char)v[i] : '?';
    out[k] = '\0';
}

/* The prefix length of a contiguous mask, or -1. */
static int mask_bits(mirage_ipv4_addr m)
{
    uint32_t inv = ~m;
    if (m == 0 || (inv & (inv + 1)) != 0)
        return -1;
    int bits = 0;
    while (m) {
        bits++;
        m <<= 1;
    }
    return bits;
}

static int bad(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return MIRAGE_EBADF;
}

int dhcp_parse(const uint8_t *p, size_t len, struct dhcp_in *m,
               const char **why)
{
    *m = (struct dhcp_in){0};
    if (len < DHCP_FIXED_LEN + DHCP_COOKIE_LEN)
        return bad(why, "shorter than a DHCP message");
    if (p[0] != OP_BOOTREPLY)
        return bad(why, "not a BOOTREPLY");
    if (p[1] != HTYPE_ETHER || p[2] != 6)
        return bad(why, "not for an Ethernet address");
    if (memcmp(p + DHCP_FIXED_LEN, cookie, DHCP_COOKIE_LEN) != 0)
        return bad(why, "no DHCP magic cookie");
    struct area areas[3] = {{p + DHCP_FIXED_LEN + DHCP_COOKIE_LEN,
                             len - DHCP_FIXED_LEN - DHCP_COOKIE_LEN}};
    size_t n = 1;
    if (!area_valid(&areas[0]))
        return bad(why, "an option runs past the end of the message");
    /* Option overload: only from the options field itself. */
    uint8_t overload = 0;
    long olen = gather(areas, 1, OPT_OVERLOAD, &overload, 1);
    if (olen >= 0 && (olen != 1 || overload < 1 || overload > 3)) {
        m->bad_options++;
        overload = 0;
    }
    if (overload & 1)
        areas[n++] = (struct area){p + OFF_FILE, LEN_FILE};
    if (overload & 2)
        areas[n++] = (struct area){p + OFF_SNAME, LEN_SNAME};
    for (size_t k = 1; k < n; k++)
        if (!area_valid(&areas[k]))
            return bad(why, "an overloaded option runs past its field");

    uint8_t type;
    if (gather(areas, n, OPT_TYPE, &type, 1) != 1)
        return bad(why, "no valid message type");
    if (type < DHCP_DISCOVER || type > DHCP_INFORM)
        return bad(why, "unknown message type");
    m->type = (enum dhcp_type)type;
    m->xid = mirage_get_be32(p + OFF_XID);
    memcpy(m->chaddr, p + OFF_CHADDR, 6);
    m->yiaddr = mirage_get_be32(p + OFF_YIADDR);

    unsigned *b = &m->bad_options;
    m->has_server_id = u32_opt(areas, n, OPT_SERVER_ID, &m->server_id, b);
    if (m->has_server_id && !usable_addr(m->server_id)) {
        m->has_server_id = false;
        (*b)++;
    }
    mirage_ipv4_addr mask;
    if (u32_opt(areas, n, OPT_MASK, &mask, b)) {
        int bits = mask_bits(mask);
        if (bits < 0) {
            (*b)++;
        } else {
            m->has_mask = true;
            m->prefix_bits = (unsigned)bits;
        }
    }
    m->nrouters = addr_list(areas, n, OPT_ROUTER, m->routers, b);
    m->ndns = addr_list(areas, n, OPT_DNS, m->dns, b);
    uint8_t mtu[2];
    long mlen = gather(areas, n, OPT_MTU, mtu, sizeof mtu);
    if (mlen >= 0) {
        uint16_t v = mirage_get_be16(mtu);
        if (mlen == 2 && v >= 68)
            m->mtu = v;
        else
            (*b)++;
    }
    m->has_lease = u32_opt(areas, n, OPT_LEASE, &m->lease_s, b);
    m->has_t1 = u32_opt(areas, n, OPT_T1, &m->t1_s, b);
    m->has_t2 = u32_opt(areas, n, OPT_T2, &m->t2_s, b);
    name_opt(areas, n, OPT_HOSTNAME, m->hostname, sizeof m->hostname, b);
    name_opt(areas, n, OPT_DOMAIN, m->domain, sizeof m->domain, b);
    message_opt(areas, n, m->message, sizeof m->message);
    return 0;
}
