/* TLS credentials from a kv_ro store, with MirageOS's names (tls.h,
 * Tls_mirage.X509): server.pem and server.key, NAME.pem and NAME.key for
 * more names, ca-roots.crt for a client's trust anchors. */
#include "internal.h"

#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdlib.h>
#include <string.h>

/* Read key from kv, logging what fails. */
static int kv_read(struct mirage_kv_ro *kv, const char *key, void **data,
                   size_t *len)
{
    int err = mirage_kv_ro_get(kv, key, data, len);
    if (err)
        mirage_log_src_err(&tls_log_src, "cannot read %s: %s", key,
                           mirage_strerror(err));
    return err;
}

static int add_from_kv(struct mirage_tls_server_config *c,
                       struct mirage_kv_ro *kv, const char *name)
{
    char pem_key[TLS_MAX_HOST + 8], key_key[TLS_MAX_HOST + 8];
    void *pem = NULL, *key = NULL;
    size_t pem_len, key_len;
    if (strlen(name) > TLS_MAX_HOST)
        return MIRAGE_ENAMETOOLONG;
    strcpy(pem_key, name);
    strcat(pem_key, ".pem");
    strcpy(key_key, name);
    strcat(key_key, ".key");
    int err = kv_read(kv, pem_key, &pem, &pem_len);
    if (!err)
        err = kv_read(kv, key_key, &key, &key_len);
    if (!err) {
        err = mirage_tls_server_config_add(c, pem, pem_len, key, key_len);
        if (err)
            mirage_log_src_err(&tls_log_src,
                               "bad certificate or key in %s, %s: %s", pem_key,
                               key_key, mirage_strerror(err));
    }
    if (key)
        memset(key, 0, key_len);
    free(pem);
    free(key);
    return err;
}

int mirage_tls_server_config_of_kv(struct mirage_kv_ro *kv,
                                   const char *const *names,
                                   const struct mirage_tls_server_options *o,
                                   struct mirage_tls_server_config **out)
{
    struct mirage_tls_server_config *c;
    int err = mirage_tls_server_config_create(o, &c);
    if (err)
        return err;
    err = add_from_kv(c, kv, "server");
    for (size_t i = 0; !err && names && names[i]; i++)
        err = add_from_kv(c, kv, names[i]);
    if (err) {
        mirage_tls_server_config_free(c);
        return err;
    }
    *out = c;
    return 0;
}

int mirage_tls_client_config_of_kv(struct mirage_kv_ro *kv,
                                   const struct mirage_tls_client_options *o,
                                   struct mirage_tls_client_config **out)
{
    struct mirage_tls_client_config *c;
    void *pem;
    size_t len;
    int err = mirage_tls_client_config_create(o, &c);
    if (err)
        return err;
    err = kv_read(kv, "ca-roots.crt", &pem, &len);
    if (!err) {
        err = mirage_tls_client_config_add_anchors(c, pem, len);
        if (err)
            mirage_log_src_err(&tls_log_src, "no usable trust anchor in %s: %s",
                               "ca-roots.crt", mirage_strerror(err));
        free(pem);
    }
    if (err) {
        mirage_tls_client_config_free(c);
        return err;
    }
    *out = c;
    return 0;
}

/* ---- The catalogue's devices (<mirage/config/tls.h>) -------------------- */

int mirage_tls_server_connect_kv(struct mirage_tls_server_config **out,
                                 struct mirage_kv_ro *kv,
                                 struct mirage_random *random, const char *alpn,
                                 const char *names)
{
    /* names: "a.example,b.example" into a NULL-terminated list. */
    char buf[TLS_MAX_CHAINS * (TLS_MAX_HOST + 1)];
    const char *list[TLS_MAX_CHAINS];
    size_t n = 0;
    if (names && strlen(names) >= sizeof buf)
        return MIRAGE_ENAMETOOLONG;
    strcpy(buf, names ? names : "");
    for (char *p = buf; *p && n < TLS_MAX_CHAINS - 1;) {
        list[n++] = p;
        p += strcspn(p, ",");
        if (*p)
            *p++ = 0;
    }
    list[n] = NULL;
    struct mirage_tls_server_options o = {.random = random,
                                          .alpn = alpn && *alpn ? alpn : NULL};
    return mirage_tls_server_config_of_kv(kv, list, &o, out);
}

int mirage_tls_client_connect_kv(struct mirage_tls_client_config **out,
                                 struct mirage_kv_ro *kv,
                                 struct mirage_random *random,
                                 struct mirage_pclock *pclock, const char *alpn)
{
    struct mirage_tls_client_options o = {.random = random,
                                          .pclock = pclock,
                                          .alpn = alpn && *alpn ? alpn : NULL};
    return mirage_tls_client_config_of_kv(kv, &o, out);
}
