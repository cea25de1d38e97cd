/* Session tickets (RFC 8446 §4.6.1, RFC 5077): the server seals what it
 * needs to resume a session with a key only it holds, AES-256-GCM under
 * a 16-byte key name, and rotates that key at run time (the previous key
 * still opens tickets until the next rotation). And the client's small
 * cache of sessions it may resume, per host. */
#include "internal.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <string.h>

#define STATE_LEN (TLS_TICKET_SEALED - 16 - 12 - TLS_AEAD_TAG)

static int new_key(struct mirage_tls_server_config *cfg,
                   struct tls_ticket_key *k)
{
    int err = mirage_random_generate(cfg->o.random, k->name, sizeof k->name);
    if (!err)
        err = mirage_random_generate(cfg->o.random, k->key, sizeof k->key);
    k->valid = !err;
    return err;
}

int mirage_tls_server_config_rotate_ticket_key(
    struct mirage_tls_server_config *c)
{
    struct tls_ticket_key next;
    int err = new_key(c, &next);
    if (err)
        return err;
    c->ticket_prev = c->ticket_cur;
    c->ticket_cur = next;
    c->ticket_rotated = mirage_now();
    memset(&next, 0, sizeof next);
    return 0;
}

int tls_ticket_seal(struct mirage_tls_server_config *cfg,
                    const struct tls_ticket_state *st, uint8_t *out)
{
    int err;
    if (!cfg->ticket_cur.valid ||
        mirage_now() - cfg->ticket_rotated >= cfg->o.ticket_rotation_ns)
        if ((err = mirage_tls_server_config_rotate_ticket_key(cfg)))
            return err;
    const struct tls_ticket_key *k = &cfg->ticket_cur;
    uint8_t *nonce = out + 16, *p = out + 28;
    memcpy(out, k->name, 16);
    if ((err = mirage_random_generate(cfg->o.random, nonce, 12)))
        return err;
    put_u16(p, st->version);
    put_u16(p + 2, st->suite);
    memcpy(p + 4, st->secret, 48);
    put_u64(p + 52, st->issued);
    put_u64(p + 60, (uint64_t)st->lifetime_s << 32 | st->age_add);
    p[68] = st->ems;
    struct tls_aead a;
    tls_aead_init(&a, TLS_AES_256_GCM, k->key);
    tls_aead_seal(&a, nonce, out, 16, p, STATE_LEN, p + STATE_LEN);
    tls_aead_wipe(&a);
    return 0;
}

bool tls_ticket_open(struct mirage_tls_server_config *cfg, const uint8_t *t,
                     size_t len, struct tls_ticket_state *st)
{
    const struct tls_ticket_key *k = NULL;
    if (len != TLS_TICKET_SEALED)
        return false;
    if (cfg->ticket_cur.valid && memcmp(t, cfg->ticket_cur.name, 16) == 0)
        k = &cfg->ticket_cur;
    else if (cfg->ticket_prev.valid &&
             memcmp(t, cfg->ticket_prev.name, 16) == 0)
        k = &cfg->ticket_prev;
    if (!k)
        return false;
    uint8_t p[STATE_LEN];
    memcpy(p, t + 28, STATE_LEN);
    struct tls_aead a;
    tls_aead_init(&a, TLS_AES_256_GCM, k->key);
    bool ok =
        tls_aead_open(&a, t + 16, t, 16, p, STATE_LEN, t + 28 + STATE_LEN);
    tls_aead_wipe(&a);
    if (!ok)
        return false;
    st->version = get_u16(p);
    st->suite = get_u16(p + 2);
    memcpy(st->secret, p + 4, 48);
    st->issued = 0;
    for (int i = 0; i < 8; i++)
        st->issued = st->issued << 8 | p[52 + i];
    st->lifetime_s = (uint32_t)get_u16(p + 60) << 16 | get_u16(p + 62);
    st->age_add = (uint32_t)get_u16(p + 64) << 16 | get_u16(p + 66);
    st->ems = p[68] != 0;
    memset(p, 0, sizeof p);
    uint64_t now = mirage_now();
    return tls_suite_find(st->suite) && now >= st->issued &&
           now - st->issued <= (uint64_t)st->lifetime_s * 1000000000u;
}

static bool fresh(const struct tls_session *s, uint64_t now)
{
    return s->valid &&
           now - s->received < (uint64_t)s->lifetime_s * 1000000000u;
}

bool tls_cache_find(struct mirage_tls_client_config *cfg, const char *host,
                    struct tls_session *out)
{
    struct tls_session *best = NULL;
    uint64_t now = mirage_now();
    for (size_t i = 0; i < TLS_CACHE_SIZE; i++) {
        struct tls_session *s = &cfg->cache[i];
        if (fresh(s, now) && strcmp(s->host, host) == 0 &&
            (!best || s->received > best->received))
            best = s;
    }
    if (!best)
        return false;
    best->used = ++cfg->cache_clock;
    *out = *best;
    return true;
}

void tls_cache_store(struct mirage_tls_client_config *cfg,
                     const struct tls_session *s)
{
    struct tls_session *slot = &cfg->cache[0];
    uint64_t now = mirage_now();
    for (size_t i = 0; i < TLS_CACHE_SIZE; i++) {
        struct tls_session *x = &cfg->cache[i];
        if (!fresh(x, now)) {
            slot = x;
            break;
        }
        if (x->used < slot->used)
            slot = x;
    }
    *slot = *s;
    slot->valid = true;
    slot->used = ++cfg->cache_clock;
}

void tls_cache_forget(struct mirage_tls_client_config *cfg,
                      const struct tls_session *s)
{
    for (size_t i = 0; i < TLS_CACHE_SIZE; i++) {
        struct tls_session *x = &cfg->cache[i];
        if (x->valid && x->ticket_len == s->ticket_len &&
            memcmp(x->ticket, s->ticket, s->ticket_len) == 0) {
            volatile uint8_t *p = (volatile uint8_t *)x;
            for (size_t j = 0; j < sizeof *x; j++)
                p[j] = 0;
        }
    }
}
