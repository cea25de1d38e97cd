/* The TLS fuzz targets' shared harness (tls_fuzz.h). */
#include "tls_fuzz.h"

#include "../test/unit/tls_certgen.h"

#include <mirage/log.h>
#include <stdlib.h>
#include <string.h>

uint64_t mirage_now(void)
{
    return cg_now_ns;
}

/* The engine's log lines are not the fuzzer's business. */
bool mirage_log_enabled(struct mirage_log_src *src, enum mirage_log_level l)
{
    (void)src, (void)l;
    return false;
}
void mirage_log_msg(struct mirage_log_src *src, enum mirage_log_level l,
                    const char *fmt, ...)
{
    (void)src, (void)l, (void)fmt;
}

static struct mirage_tls_server_config *scfg;
static struct mirage_tls_client_config *ccfg;

/* One random device for the server and one for the client, which
 * fz_server / fz_client start again, so that a side replays the same
 * whatever the other side did. */
static struct cg_random server_random, client_random;

static void make_configs(void)
{
    static const char *const names[] = {"a.example", NULL};
    struct cg_key ca, ec, rsa;
    cg_key_ec(&ca, BR_EC_secp256r1);
    cg_key_ec(&ec, BR_EC_secp256r1);
    cg_key_rsa(&rsa, 1024);
    struct cg_cert_opts o = cg_opts("CA");
    o.ca = true;
    struct blob cad = cg_cert(&o, &ca, &ca);
    o = cg_opts("a.example");
    o.issuer_cn = "CA";
    o.dns = names;
    struct blob chain[2] = {cg_cert(&o, &ec, &ca), cad};
    const char *ec_pem = cg_pem("CERTIFICATE", chain, 2);
    const char *ec_key = cg_key_pem(&ec, true);
    chain[0] = cg_cert(&o, &rsa, &ca);
    const char *rsa_pem = cg_pem("CERTIFICATE", chain, 2);
    const char *rsa_key = cg_key_pem(&rsa, false);
    cg_random_init(&server_random, 1);
    cg_random_init(&client_random, 2);
    struct mirage_tls_server_options so = {.random = &server_random.dev};
    struct mirage_tls_client_options co = {.random = &client_random.dev,
                                           .insecure_no_verification = true};
    if (mirage_tls_server_config_create(&so, &scfg) ||
        mirage_tls_server_config_add(scfg, ec_pem, strlen(ec_pem), ec_key,
                                     strlen(ec_key)) ||
        mirage_tls_server_config_add(scfg, rsa_pem, strlen(rsa_pem), rsa_key,
                                     strlen(rsa_key)) ||
        mirage_tls_client_config_create(&co, &ccfg))
        abort();
}

struct mirage_tls_server_config *fz_server_config(void)
{
    if (!scfg)
        make_configs();
    return scfg;
}

struct mirage_tls_client_config *fz_client_config(void)
{
    if (!ccfg)
        make_configs();
    return ccfg;
}

static void alloc(struct fz_conn *f, size_t ocap, size_t hcap)
{
    f->ibuf = malloc(TLS_IBUF_SIZE);
    f->obuf = malloc(ocap);
    f->hbuf = malloc(hcap);
    f->hs = malloc(sizeof *f->hs);
}

void fz_server(struct fz_conn *f)
{
    struct mirage_tls_server_config *cfg = fz_server_config();
    size_t ocap = tls_conn_obuf_size(cfg);
    cg_random_init(&server_random, 1);
    alloc(f, ocap, TLS_SERVER_HBUF);
    tls_conn_init_server(&f->c, cfg, f->hs, f->ibuf, TLS_IBUF_SIZE, f->obuf,
                         ocap, f->hbuf, TLS_SERVER_HBUF);
}

void fz_client(struct fz_conn *f)
{
    struct mirage_tls_client_config *cfg = fz_client_config();
    cg_random_init(&client_random, 2);
    /* No sessions from earlier inputs: each input starts alike. */
    memset(cfg->cache, 0, sizeof cfg->cache);
    alloc(f, TLS_CLIENT_OBUF, TLS_CLIENT_HBUF);
    tls_conn_init_client(&f->c, cfg, "a.example", f->hs, f->ibuf, TLS_IBUF_SIZE,
                         f->obuf, TLS_CLIENT_OBUF, f->hbuf, TLS_CLIENT_HBUF);
}

void fz_force(struct fz_conn *f, enum tls_state state, uint16_t version,
              uint16_t suite)
{
    struct tls_conn *c = &f->c;
    uint8_t pub[TLS_KEX_MAX_PUB];
    size_t pub_len;
    c->state = state;
    c->version = version;
    c->suite = tls_suite_find(suite);
    tls_dir_wipe(&c->rd);
    tls_dir_wipe(&c->wr);
    tls_transcript_pick(c, c->suite->hash);
    /* A server waiting for ClientKeyExchange holds an ECDHE key. */
    tls_kex_keygen(&c->hs->kex, TLS_GROUP_X25519, c->random, pub, &pub_len);
    size_t len;
    tls_conn_output(c, &len);
    tls_conn_sent(c, len);
    if (state == TLS_CONNECTED) {
        uint8_t *post = malloc(TLS_POST_HBUF);
        tls_conn_handshake_done(c, post, TLS_POST_HBUF);
        free(f->hbuf);
        free(f->hs);
        f->hbuf = post;
        f->hs = NULL;
    }
}

void fz_feed(struct fz_conn *f, const uint8_t *data, size_t len, uint8_t chunk)
{
    struct tls_conn *c = &f->c;
    size_t piece = 1 + (size_t)(chunk % 64) * 97;
    while (len > 0 && c->state != TLS_FAILED) {
        size_t space, out;
        uint8_t *in = tls_conn_input_space(c, &space);
        size_t n = len < piece ? len : piece;
        if (n > space)
            n = space;
        if (n == 0)
            break;
        memcpy(in, data, n);
        tls_conn_received(c, n);
        data += n;
        len -= n;
        do {
            c->app_len = 0; /* the application reads everything */
            tls_conn_process(c);
        } while (c->app_len && c->state != TLS_FAILED);
        tls_conn_output(c, &out);
        tls_conn_sent(c, out);
    }
    if (c->state != TLS_FAILED)
        tls_conn_eof(c);
}

void fz_free(struct fz_conn *f)
{
    tls_conn_wipe(&f->c);
    free(f->ibuf);
    free(f->obuf);
    free(f->hbuf);
    free(f->hs);
}

void fz_engine_run(bool server, const struct fz_start *start,
                   const uint8_t *data, size_t size)
{
    struct fz_conn f;
    if (size < 1)
        return;
    if (server)
        fz_server(&f);
    else
        fz_client(&f);
    if (start->state != TLS_C_START && start->state != TLS_S_WAIT_CH)
        fz_force(&f, start->state, start->version, start->suite);
    fz_feed(&f, data + 1, size - 1, data[0]);
    fz_free(&f);
}
