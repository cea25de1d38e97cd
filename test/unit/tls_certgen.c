/* Test helpers for the TLS tests (tls_certgen.h): a DER writer just big
 * enough for certificates, keys from BearSSL, PEM, a deterministic
 * random device and settable clocks. */
#include "tls_certgen.h"

#include <mirage/error.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t arena[4 << 20];
static size_t arena_used;

void cg_reset(void)
{
    arena_used = 0;
}

void *cg_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (arena_used + n > sizeof arena) {
        fprintf(stderr, "tls_certgen: arena exhausted\n");
        abort();
    }
    void *p = arena + arena_used;
    arena_used += n;
    return p;
}

struct blob cg_hex(const char *hex)
{
    uint8_t *out = cg_alloc(strlen(hex) / 2 + 1);
    size_t n = 0;
    int hi = -1;
    for (const char *s = hex; *s; s++) {
        int v = *s >= '0' && *s <= '9'   ? *s - '0'
                : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
                : *s >= 'A' && *s <= 'F' ? *s - 'A' + 10
                                         : -1;
        if (v < 0)
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return (struct blob){out, n};
}

/* ---- DER -------------------------------------------------------------- */

static struct blob tlv(uint8_t tag, struct blob c)
{
    uint8_t *p = cg_alloc(c.n + 6);
    size_t h = 0;
    p[h++] = tag;
    if (c.n < 0x80) {
        p[h++] = (uint8_t)c.n;
    } else if (c.n < 0x100) {
        p[h++] = 0x81;
        p[h++] = (uint8_t)c.n;
    } else if (c.n < 0x10000) {
        p[h++] = 0x82;
        p[h++] = (uint8_t)(c.n >> 8);
        p[h++] = (uint8_t)c.n;
    } else {
        p[h++] = 0x83;
        p[h++] = (uint8_t)(c.n >> 16);
        p[h++] = (uint8_t)(c.n >> 8);
        p[h++] = (uint8_t)c.n;
    }
    memcpy(p + h, c.p, c.n);
    return (struct blob){p, h + c.n};
}

/* Concatenate n blobs. */
static struct blob cat(int n, ...)
{
    va_list ap;
    size_t total = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        total += va_arg(ap, struct blob).n;
    va_end(ap);
    uint8_t *p = cg_alloc(total + 1);
    size_t off = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        struct blob b = va_arg(ap, struct blob);
        memcpy(p + off, b.p, b.n);
        off += b.n;
    }
    va_end(ap);
    return (struct blob){p, total};
}

static struct blob raw(const void *p, size_t n)
{
    return (struct blob){p, n};
}
#define LIT(s) raw(s, sizeof(s) - 1)
static const struct blob empty = {(const uint8_t *)"", 0};

static struct blob uint_bytes(const uint8_t *p, size_t n)
{
    while (n > 1 && p[0] == 0)
        p++, n--;
    if (p[0] & 0x80)
        return tlv(0x02, cat(2, LIT("\x00"), raw(p, n)));
    return tlv(0x02, raw(p, n));
}

static struct blob small_int(unsigned v)
{
    uint8_t b[5] = {0, (uint8_t)(v >> 24), (uint8_t)(v >> 16),
                    (uint8_t)(v >> 8), (uint8_t)v};
    return uint_bytes(b, 5);
}

static struct blob str(uint8_t tag, const char *s)
{
    return tlv(tag, raw(s, strlen(s)));
}

static struct blob der_time(int64_t t)
{
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0)
        secs += 86400, days--;
    /* civil from days (proleptic Gregorian) */
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char *buf = cg_alloc(20);
    if (y >= 1950 && y < 2050)
        snprintf(buf, 20, "%02d%02d%02d%02d%02d%02dZ", (int)(y % 100), (int)m,
                 (int)d, (int)(secs / 3600), (int)(secs / 60 % 60),
                 (int)(secs % 60));
    else
        snprintf(buf, 20, "%04d%02d%02d%02d%02d%02dZ", (int)y, (int)m, (int)d,
                 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    return str(y >= 1950 && y < 2050 ? 0x17 : 0x18, buf);
}

static struct blob name(const char *cn)
{
    struct blob atv =
        tlv(0x30, cat(2, tlv(0x06, LIT("\x55\x04\x03")), str(0x0c, cn)));
    return tlv(0x30, tlv(0x31, atv));
}

static struct blob ext(const char *oid, size_t oid_len, bool critical,
                       struct blob value)
{
    return tlv(0x30,
               cat(3, tlv(0x06, raw(oid, oid_len)),
                   critical ? LIT("\x01\x01\xff") : empty, tlv(0x04, value)));
}
#define EXT(oid, crit, v) ext(oid, sizeof(oid) - 1, crit, v)

static struct blob dns_list(const char *const *names, uint8_t tag)
{
    size_t total = 0, off = 0;
    for (size_t i = 0; names && names[i]; i++)
        total += strlen(names[i]) + 4;
    uint8_t *p = cg_alloc(total + 1);
    for (size_t i = 0; names && names[i]; i++) {
        struct blob b = str(tag, names[i]);
        memcpy(p + off, b.p, b.n);
        off += b.n;
    }
    return (struct blob){p, off};
}

static struct blob subtrees(const char *const *names)
{
    struct blob all = empty;
    for (size_t i = 0; names && names[i]; i++)
        all = cat(2, all, tlv(0x30, str(0x82, names[i])));
    return all;
}

/* ---- Keys ------------------------------------------------------------- */

static br_hmac_drbg_context drbg;
static bool drbg_ready;

static const br_prng_class **prng(void)
{
    if (!drbg_ready) {
        br_hmac_drbg_init(&drbg, &br_sha256_vtable, "mirage tls tests", 16);
        drbg_ready = true;
    }
    return &drbg.vtable;
}

void cg_key_rsa(struct cg_key *k, unsigned bits)
{
    memset(k, 0, sizeof *k);
    k->rsa = true;
    if (!br_rsa_i31_keygen(prng(), &k->sk, k->kbuf, &k->pk, k->pbuf, bits,
                           65537))
        abort();
    k->dlen = br_rsa_compute_privexp_get_default()(k->d, &k->sk, 65537);
}

void cg_key_ec(struct cg_key *k, int curve)
{
    memset(k, 0, sizeof *k);
    if (!br_ec_keygen(prng(), br_ec_get_default(), &k->ek, k->kbuf, curve) ||
        !br_ec_compute_pub(br_ec_get_default(), &k->epk, k->pbuf, &k->ek))
        abort();
}

const char *cg_key_pem(const struct cg_key *k, bool pkcs8)
{
    uint8_t *der = cg_alloc(8192);
    size_t n;
    const char *label;
    if (k->rsa) {
        n = pkcs8 ? br_encode_rsa_pkcs8_der(der, &k->sk, &k->pk, k->d, k->dlen)
                  : br_encode_rsa_raw_der(der, &k->sk, &k->pk, k->d, k->dlen);
        label = pkcs8 ? "PRIVATE KEY" : "RSA PRIVATE KEY";
    } else {
        n = pkcs8 ? br_encode_ec_pkcs8_der(der, &k->ek, &k->epk)
                  : br_encode_ec_raw_der(der, &k->ek, &k->epk);
        label = pkcs8 ? "PRIVATE KEY" : "EC PRIVATE KEY";
    }
    struct blob b = {der, n};
    return cg_pem(label, &b, 1);
}

static struct blob spki(const struct cg_key *k)
{
    if (k->rsa) {
        struct blob rsakey = tlv(0x30, cat(2, uint_bytes(k->pk.n, k->pk.nlen),
                                           uint_bytes(k->pk.e, k->pk.elen)));
        return tlv(0x30,
                   cat(2,
                       tlv(0x30, cat(2,
                                     tlv(0x06, LIT("\x2a\x86\x48\x86\xf7\x0d"
                                                   "\x01\x01\x01")),
                                     LIT("\x05\x00"))),
                       tlv(0x03, cat(2, LIT("\x00"), rsakey))));
    }
    struct blob curve = k->epk.curve == BR_EC_secp256r1
                            ? tlv(0x06, LIT("\x2a\x86\x48\xce\x3d\x03\x01\x07"))
                        : k->epk.curve == BR_EC_secp384r1
                            ? tlv(0x06, LIT("\x2b\x81\x04\x00\x22"))
                            : tlv(0x06, LIT("\x2b\x81\x04\x00\x23"));
    return tlv(
        0x30,
        cat(2,
            tlv(0x30,
                cat(2, tlv(0x06, LIT("\x2a\x86\x48\xce\x3d\x02\x01")), curve)),
            tlv(0x03, cat(2, LIT("\x00"), raw(k->epk.q, k->epk.qlen)))));
}

void cg_spki_sha256(const struct cg_key *k, uint8_t out[32])
{
    struct blob s = spki(k);
    br_sha256_context c;
    br_sha256_init(&c);
    br_sha256_update(&c, s.p, s.n);
    br_sha256_out(&c, out);
}

/* ---- Certificates ----------------------------------------------------- */

struct cg_cert_opts cg_opts(const char *cn)
{
    extern uint64_t cg_wall_ns;
    int64_t now = (int64_t)(cg_wall_ns / 1000000000u);
    return (struct cg_cert_opts){
        .cn = cn,
        .not_before = now - 86400,
        .not_after = now + 365 * 86400,
        .path_len = -1,
        .ku = -1,
        .serial = 1,
    };
}

struct blob cg_cert(const struct cg_cert_opts *o, const struct cg_key *subject,
                    const struct cg_key *issuer)
{
    struct blob sigalg =
        issuer->rsa
            ? tlv(0x30, cat(2,
                            tlv(0x06, LIT("\x2a\x86\x48\x86\xf7\x0d\x01\x01"
                                          "\x0b")),
                            LIT("\x05\x00")))
            : tlv(0x30, tlv(0x06, LIT("\x2a\x86\x48\xce\x3d\x04\x03\x02")));
    struct blob exts = empty;
    if (o->ca || o->path_len >= 0)
        exts = cat(2, exts,
                   EXT("\x55\x1d\x13", true,
                       tlv(0x30, cat(2, o->ca ? LIT("\x01\x01\xff") : empty,
                                     o->path_len >= 0
                                         ? small_int((unsigned)o->path_len)
                                         : empty))));
    if (o->ku >= 0) {
        uint8_t bits[3] = {0, (uint8_t)(o->ku >> 8), (uint8_t)o->ku};
        exts = cat(2, exts, EXT("\x55\x1d\x0f", true, tlv(0x03, raw(bits, 3))));
    }
    if (o->eku)
        exts = cat(
            2, exts,
            EXT("\x55\x1d\x25", false,
                tlv(0x30,
                    tlv(0x06, o->eku == 1
                                  ? LIT("\x2b\x06\x01\x05\x05\x07\x03\x01")
                                  : LIT("\x2b\x06\x01\x05\x05\x07\x03\x02")))));
    if (o->dns || o->ip) {
        struct blob ip = empty;
        if (o->ip) {
            unsigned a, b, c, d;
            sscanf(o->ip, "%u.%u.%u.%u", &a, &b, &c, &d);
            uint8_t *v = cg_alloc(4);
            v[0] = (uint8_t)a, v[1] = (uint8_t)b, v[2] = (uint8_t)c,
            v[3] = (uint8_t)d;
            ip = tlv(0x87, raw(v, 4));
        }
        exts = cat(2, exts,
                   EXT("\x55\x1d\x11", false,
                       tlv(0x30, cat(2, dns_list(o->dns, 0x82), ip))));
    }
    if (o->permitted || o->excluded)
        exts = cat(
            2, exts,
            EXT("\x55\x1d\x1e", true,
                tlv(0x30, cat(2,
                              o->permitted ? tlv(0xa0, subtrees(o->permitted))
                                           : empty,
                              o->excluded ? tlv(0xa1, subtrees(o->excluded))
                                          : empty))));
    if (o->unknown_critical)
        exts = cat(
            2, exts,
            EXT("\x2b\x06\x01\x04\x01\x82\x37\x63\x01", true, LIT("\x05\x00")));
    struct blob tbs = tlv(
        0x30,
        cat(8, tlv(0xa0, small_int(2)), small_int((unsigned)o->serial), sigalg,
            name(o->issuer_cn ? o->issuer_cn : o->cn),
            tlv(0x30, cat(2, der_time(o->not_before), der_time(o->not_after))),
            name(o->cn), spki(subject),
            exts.n ? tlv(0xa3, tlv(0x30, exts)) : empty));
    uint8_t h[32], *sig = cg_alloc(1024);
    size_t slen;
    br_sha256_context hc;
    br_sha256_init(&hc);
    br_sha256_update(&hc, tbs.p, tbs.n);
    br_sha256_out(&hc, h);
    if (issuer->rsa) {
        slen = issuer->pk.nlen;
        if (!br_rsa_i31_pkcs1_sign(BR_HASH_OID_SHA256, h, 32, &issuer->sk, sig))
            abort();
    } else {
        slen = br_ecdsa_i31_sign_asn1(br_ec_get_default(), &br_sha256_vtable, h,
                                      &issuer->ek, sig);
    }
    if (o->bad_signature)
        sig[slen / 2] ^= 1;
    return tlv(0x30, cat(3, tbs, sigalg,
                         tlv(0x03, cat(2, LIT("\x00"), raw(sig, slen)))));
}

const char *cg_pem(const char *label, const struct blob *der, size_t n)
{
    size_t total = 1;
    for (size_t i = 0; i < n; i++)
        total += br_pem_encode(NULL, der[i].p, der[i].n, label, BR_PEM_LINE64);
    char *out = cg_alloc(total + 1), *p = out;
    for (size_t i = 0; i < n; i++)
        p += br_pem_encode(p, der[i].p, der[i].n, label, BR_PEM_LINE64);
    *p = 0;
    return out;
}

/* ---- Random and clocks ------------------------------------------------ */

static int gen(struct mirage_random *dev, void *buf, size_t len)
{
    struct cg_random *r = (struct cg_random *)dev;
    uint8_t *p = buf;
    while (len && r->script_len) {
        *p++ = *r->script++;
        len--;
        r->script_len--;
    }
    while (len) {
        uint8_t block[32];
        br_sha256_context c;
        br_sha256_init(&c);
        br_sha256_update(&c, &r->tag, 1);
        br_sha256_update(&c, &r->counter, sizeof r->counter);
        br_sha256_out(&c, block);
        r->counter++;
        size_t n = len < 32 ? len : 32;
        memcpy(p, block, n);
        p += n;
        len -= n;
    }
    return 0;
}

static const struct mirage_random_ops random_ops = {.generate = gen};

void cg_random_init(struct cg_random *r, uint8_t tag)
{
    memset(r, 0, sizeof *r);
    r->dev.ops = &random_ops;
    r->tag = tag;
}

static struct cg_random random_dev = {{&random_ops}, 0, 0, NULL, 0};

struct mirage_random *cg_random(void)
{
    return &random_dev.dev;
}

void cg_random_reset(void)
{
    cg_random_init(&random_dev, 0);
}

void cg_random_script(const uint8_t *bytes, size_t n)
{
    random_dev.script = bytes;
    random_dev.script_len = n;
}

uint64_t cg_wall_ns = 1796083200ull * 1000000000ull; /* 2026-12-01 */

static uint64_t wall(struct mirage_pclock *c)
{
    (void)c;
    return cg_wall_ns;
}
static int32_t tz(struct mirage_pclock *c)
{
    (void)c;
    return 0;
}
static const struct mirage_pclock_ops pclock_ops = {wall, tz};
static struct mirage_pclock pclock = {&pclock_ops};

struct mirage_pclock *cg_pclock(void)
{
    return &pclock;
}

uint64_t cg_now_ns = 1000000000ull;
