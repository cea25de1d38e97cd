/* Writes the seed corpora of the TLS fuzz targets (fuzz/tls_*.c) into
 * DIR/tls_NAME (fuzz/seeds.sh runs it with DIR fuzz/corpus). The seeds are
 * valid inputs, made with the fuzz targets' own deterministic setup
 * (fuzz/tls_fuzz.c), so that they replay whole handshakes in the targets:
 *   tls_server  the client's side of a TLS 1.3 and of a TLS 1.2
 *               handshake with the target's server, RFC 8448's
 *               ClientHellos, and the messages of states 1-3;
 *   tls_client  the server's side of both versions' handshakes with the
 *               target's client, RFC 8448's server messages in clear,
 *               a TLS 1.2 flight, tickets and KeyUpdate;
 *   tls_record  alerts, data, KeyUpdate, tickets, renegotiation attempts;
 *   tls_x509    certificates with every extension the parser knows;
 *   tls_pem     chains and keys in every form the parser reads.
 * The output depends on nothing but this program: running it again
 * writes the same bytes. */
#include "tls_fuzz.h"

#include "../test/unit/rfc8448.h"
#include "../test/unit/tls_certgen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *dir;

static void put(const char *target, const char *name, const void *a,
                size_t alen, const void *b, size_t blen)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, target);
    if (mkdir(path, 0755) && errno != EEXIST) {
        perror(path);
        exit(1);
    }
    snprintf(path, sizeof path, "%s/%s/%s", dir, target, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(a, 1, alen, f) != alen ||
        (blen && fwrite(b, 1, blen, f) != blen) || fclose(f)) {
        perror(path);
        exit(1);
    }
}

/* A record of type around msg. */
static struct blob record(uint8_t type, struct blob msg)
{
    uint8_t *p = cg_alloc(msg.n + 5);
    p[0] = type, p[1] = 3, p[2] = 3;
    put_u16(p + 3, (uint16_t)msg.n);
    memcpy(p + 5, msg.p, msg.n);
    return (struct blob){p, msg.n + 5};
}

static struct blob join(struct blob a, struct blob b)
{
    uint8_t *p = cg_alloc(a.n + b.n);
    memcpy(p, a.p, a.n);
    memcpy(p + a.n, b.p, b.n);
    return (struct blob){p, a.n + b.n};
}

/* A seed of an engine target: state byte, chunk byte, bytes. */
static void seed(const char *target, const char *name, uint8_t state,
                 struct blob bytes)
{
    uint8_t head[2] = {state, 63}; /* whole records at once */
    put(target, name, head, 2, bytes.p, bytes.n);
}

/* Move what from has to say into to: returns the bytes. */
static struct blob drain(struct fz_conn *from)
{
    size_t len;
    const uint8_t *p = tls_conn_output(&from->c, &len);
    uint8_t *copy = cg_alloc(len + 1);
    memcpy(copy, p, len);
    tls_conn_sent(&from->c, len);
    return (struct blob){copy, len};
}

static void deliver(struct fz_conn *to, struct blob b)
{
    size_t space;
    uint8_t *in = tls_conn_input_space(&to->c, &space);
    memcpy(in, b.p, b.n);
    tls_conn_received(&to->c, b.n);
    tls_conn_process(&to->c);
}

/* A handshake between the targets' client and server, with these highest
 * versions: the client's and the server's bytes, each side's start as
 * the targets make it. */
static void handshake(uint16_t client_max, uint16_t server_max,
                      struct blob *client_bytes, struct blob *server_bytes)
{
    struct mirage_tls_server_config *scfg = fz_server_config();
    struct mirage_tls_client_config *ccfg = fz_client_config();
    uint16_t saved = scfg->o.max_version;
    struct fz_conn cl, sv;
    ccfg->o.max_version = client_max;
    fz_client(&cl);
    struct blob ch = drain(&cl);
    scfg->o.max_version = server_max;
    fz_server(&sv);
    deliver(&sv, ch);
    struct blob s1 = drain(&sv);
    deliver(&cl, s1);
    struct blob c2 = drain(&cl);
    deliver(&sv, c2);
    struct blob s2 = drain(&sv);
    deliver(&cl, s2);
    scfg->o.max_version = ccfg->o.max_version = saved;
    if (!tls_conn_connected(&cl.c) || !tls_conn_connected(&sv.c)) {
        fprintf(stderr, "tls_seeds: the handshake failed\n");
        exit(1);
    }
    *client_bytes = join(ch, c2);
    *server_bytes = join(s1, s2);
    fz_free(&cl);
    fz_free(&sv);
}

/* Handshake messages of one unprotected record (after its first skip). */
static struct blob messages_after(struct blob rec, size_t skip)
{
    const uint8_t *p = rec.p + 5;
    size_t len = get_u16(rec.p + 3);
    while (skip-- && len >= 4) {
        size_t m = 4 + get_u24(p + 1);
        p += m;
        len -= m;
    }
    return (struct blob){p, len};
}

static struct blob msg(uint8_t type, const char *hex)
{
    struct blob body = cg_hex(hex);
    uint8_t *p = cg_alloc(body.n + 4);
    p[0] = type;
    put_u24(p + 1, (uint32_t)body.n);
    memcpy(p + 4, body.p, body.n);
    return (struct blob){p, body.n + 4};
}

static void engine_seeds(void)
{
    /* Each target replays one side with its own configuration: TLS 1.2
     * comes from the other side's limit. */
    struct blob c13, s13, c12, s12, unused;
    handshake(MIRAGE_TLS_1_3, MIRAGE_TLS_1_3, &c13, &s13);
    handshake(MIRAGE_TLS_1_2, MIRAGE_TLS_1_3, &c12, &unused);
    handshake(MIRAGE_TLS_1_3, MIRAGE_TLS_1_2, &unused, &s12);
    seed("tls_server", "handshake13", 0, c13);
    seed("tls_server", "handshake12", 0, c12);
    seed("tls_server", "rfc8448_client_hello", 0,
         record(TLS_CT_HANDSHAKE, cg_hex(RFC8448_CH)));
    seed("tls_server", "client_key_exchange", 1,
         record(TLS_CT_HANDSHAKE,
                msg(TLS_HS_CLIENT_KEY_EXCHANGE,
                    "20 99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 "
                    "6e 51 c1 3c ae 4d 54 13 69 1e 52 9a af 2c")));
    seed("tls_server", "finished12", 2,
         join(record(TLS_CT_CCS, cg_hex("01")),
              record(TLS_CT_HANDSHAKE,
                     msg(TLS_HS_FINISHED,
                         "00 01 02 03 04 05 06 07 08 09 0a 0b"))));
    seed(
        "tls_server", "finished13", 3,
        record(TLS_CT_HANDSHAKE,
               msg(TLS_HS_FINISHED, "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d "
                                    "0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b "
                                    "1c 1d 1e 1f 20 21 22 23 24 25 26 27 28 29 "
                                    "2a 2b 2c 2d 2e 2f")));

    seed("tls_client", "handshake13", 0, s13);
    seed("tls_client", "handshake12", 0, s12);
    seed("tls_client", "rfc8448_server_hello", 0,
         record(TLS_CT_HANDSHAKE, cg_hex(RFC8448_SH)));
    /* The 1.3 server's flight in clear: EncryptedExtensions, then a
     * Certificate, CertificateVerify and Finished of our own making. */
    struct blob ee = msg(TLS_HS_ENCRYPTED_EXTENSIONS, "00 00");
    static uint8_t cbuf[8192];
    struct wr w;
    wr_init(&w, cbuf + 4, sizeof cbuf - 4);
    tls_write_certificate(&w, fz_server_config()->chains[0], true);
    cbuf[0] = TLS_HS_CERTIFICATE;
    put_u24(cbuf + 1, (uint32_t)w.len);
    struct blob cert13 = {cbuf, w.len + 4};
    struct blob cv = msg(TLS_HS_CERTIFICATE_VERIFY, "04 03 00 04 01 02 03 04");
    struct blob fin = msg(TLS_HS_FINISHED, "00 01 02 03 04 05 06 07 08 09 0a "
                                           "0b 0c 0d 0e 0f 10 11 12 13 14 15 "
                                           "16 17 18 19 1a 1b 1c 1d 1e 1f");
    struct blob cert12 = messages_after(s12, 1); /* after ServerHello */
    seed("tls_client", "flight13", 1,
         record(TLS_CT_HANDSHAKE, join(join(ee, cert13), join(cv, fin))));
    seed("tls_client", "rfc8448_encrypted_extensions", 1,
         record(TLS_CT_HANDSHAKE, cg_hex(RFC8448_EE)));
    seed("tls_client", "flight12", 2, record(TLS_CT_HANDSHAKE, cert12));
    seed("tls_client", "ticket12", 4,
         join(record(TLS_CT_HANDSHAKE,
                     msg(TLS_HS_NEW_SESSION_TICKET,
                         "00 00 1c 20 00 08 01 02 03 04 05 06 07 08")),
              record(TLS_CT_CCS, cg_hex("01"))));
    seed("tls_client", "ticket13", 5,
         record(TLS_CT_HANDSHAKE, cg_hex(RFC8448_NST)));
    seed("tls_client", "key_update", 5,
         record(TLS_CT_HANDSHAKE, msg(TLS_HS_KEY_UPDATE, "01")));

    /* tls_record: bit 0 server, bit 1 TLS 1.2. */
    struct blob data = record(TLS_CT_APPDATA, cg_hex("68 65 6c 6c 6f"));
    struct blob close = record(TLS_CT_ALERT, cg_hex("01 00"));
    seed("tls_record", "data_close13", 1, join(data, close));
    seed("tls_record", "empty_data12", 3,
         join(record(TLS_CT_APPDATA, cg_hex("")), data));
    seed("tls_record", "key_update", 1,
         join(record(TLS_CT_HANDSHAKE, msg(TLS_HS_KEY_UPDATE, "01")), data));
    seed("tls_record", "ticket", 0,
         record(TLS_CT_HANDSHAKE, cg_hex(RFC8448_NST)));
    seed("tls_record", "hello_request", 2,
         record(TLS_CT_HANDSHAKE, msg(TLS_HS_HELLO_REQUEST, "")));
    seed("tls_record", "renegotiation", 3,
         record(TLS_CT_HANDSHAKE, cg_hex(RFC8448_CH)));
    seed("tls_record", "fatal_alert", 0, record(TLS_CT_ALERT, cg_hex("02 28")));
    seed("tls_record", "ccs", 1, record(TLS_CT_CCS, cg_hex("01")));
}

static void cert_seeds(void)
{
    static const char *const dns[] = {"a.example", "*.b.example", NULL};
    static const char *const permitted[] = {"example", ".example.org", NULL};
    static const char *const excluded[] = {"bad.example", NULL};
    struct cg_key ca, ec, rsa, p384;
    cg_key_ec(&ca, BR_EC_secp256r1);
    cg_key_ec(&ec, BR_EC_secp256r1);
    cg_key_rsa(&rsa, 1024);
    cg_key_ec(&p384, BR_EC_secp384r1);
    struct cg_cert_opts o = cg_opts("CA");
    o.ca = true;
    o.path_len = 1;
    o.ku = 0x0400;
    o.permitted = permitted;
    o.excluded = excluded;
    struct blob cad = cg_cert(&o, &ca, &ca);
    put("tls_x509", "ca", cad.p, cad.n, NULL, 0);
    o = cg_opts("a.example");
    o.issuer_cn = "CA";
    o.dns = dns;
    o.ip = "10.0.0.2";
    o.ku = 0x8000;
    o.eku = 1;
    struct blob leaf = cg_cert(&o, &ec, &ca);
    put("tls_x509", "leaf", leaf.p, leaf.n, NULL, 0);
    o = cg_opts("rsa");
    o.unknown_critical = true;
    struct blob r = cg_cert(&o, &rsa, &rsa);
    put("tls_x509", "rsa", r.p, r.n, NULL, 0);
    o = cg_opts("p384");
    struct blob p = cg_cert(&o, &p384, &ca);
    put("tls_x509", "p384", p.p, p.n, NULL, 0);

    struct blob chain[2] = {leaf, cad};
    const char *pem = cg_pem("CERTIFICATE", chain, 2);
    const char *forms[4][2] = {
        {"ec_pkcs8", cg_key_pem(&ec, true)},
        {"ec_sec1", cg_key_pem(&ec, false)},
        {"rsa_pkcs8", cg_key_pem(&rsa, true)},
        {"rsa_pkcs1", cg_key_pem(&rsa, false)},
    };
    for (int i = 0; i < 4; i++)
        put("tls_pem", forms[i][0], pem, strlen(pem), forms[i][1],
            strlen(forms[i][1]));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: tls_seeds DIR\n");
        return 2;
    }
    dir = argv[1];
    fz_server_config(); /* first, as in the targets: the same keys */
    engine_seeds();
    cert_seeds();
    return 0;
}
