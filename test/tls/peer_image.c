/* The unikernel of the TLS real-peer tests (test/tls/): the stack with
 * TCP on a tap device and TLS with credentials read from a tar archive
 * on the block device --storage (MirageOS's names: server.pem,
 * server.key, NAME.pem and NAME.key for --names, and ca-roots.crt for
 * the client). As a server it serves
 *   port 4433: read one line, send it back, close (TLS echo);
 *   port 4434: an HTTP/1.1 responder: "GET /bytes/N" answers N bytes of
 *              a pattern, any other request a short greeting; then close;
 *   port 4435: the same as 4434 over plain TCP (the benchmark's baseline);
 * logging each session's parameters ("session: TLS1.3 SUITE ...") and
 * each failure. With --connect=IP:PORT it is a client instead: it makes
 * --connections sessions one after the other to that server (for
 * --host), sends an HTTP/1.0 request, reads the answer to its end and
 * logs "client: ..." lines (the parameters, "resumed", the byte count,
 * or the error), then exits. Its mirage_app_main connects the devices by
 * hand, as the generated main.c does. */
#include "../net/peer_stack.h"

#include <mirage/args.h>
#include <mirage/block.h>
#include <mirage/clock.h>
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/kv.h>
#include <mirage/log.h>
#include <mirage/tcp.h>
#include <mirage/tls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEADLINE() (mirage_now() + MIRAGE_SEC(30))

static struct mirage_tls_server_config *server_cfg;
static struct mirage_tls_client_config *client_cfg;
static struct mirage_tcp *tcp;
static bool key_update;
static uint8_t pattern[65536];

static const char *group_name(uint16_t g)
{
    return g == 0x1d   ? "x25519"
           : g == 0x17 ? "P-256"
           : g == 0x18 ? "P-384"
                       : "none";
}

static void log_session(const char *who, struct mirage_tls_flow *t)
{
    struct mirage_tls_info i;
    mirage_tls_get_info(t, &i);
    mirage_log_info("%s: TLS1.%d %s group=%s sig=0x%04x resumed=%s alpn=%s "
                    "sni=%s",
                    who, i.version == MIRAGE_TLS_1_3 ? 3 : 2,
                    i.cipher_suite_name, group_name(i.group),
                    i.signature_scheme, i.resumed ? "yes" : "no",
                    i.alpn ? i.alpn : "-", i.server_name ? i.server_name : "-");
}

/* Read until a newline (kept) or the end: the length, or an error. */
static long read_line(struct mirage_flow *f, char *buf, size_t cap)
{
    size_t len = 0;
    while (len < cap && !memchr(buf, '\n', len)) {
        long n = mirage_flow_read(f, buf + len, cap - len, DEADLINE());
        if (n < 0)
            return n;
        if (n == 0)
            break;
        len += (size_t)n;
    }
    return (long)len;
}

/* A TLS session over a new TCP connection, or NULL (logged). */
static struct mirage_tls_flow *accept_tls(struct mirage_tcp_flow *f)
{
    struct mirage_tls_flow *t;
    int err = mirage_tls_server_of_flow(server_cfg, &f->flow, DEADLINE(), &t);
    if (err) {
        mirage_log_info("handshake: %s", mirage_strerror(err));
        return NULL;
    }
    log_session("session", t);
    return t;
}

static int echo_line(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    struct mirage_tls_flow *t = accept_tls(f);
    if (!t)
        return 0;
    char buf[4096];
    long n = read_line(&t->flow, buf, sizeof buf);
    if (n > 0)
        n = mirage_tls_write(t, buf, (size_t)n, DEADLINE());
    struct mirage_tls_info i;
    mirage_tls_get_info(t, &i);
    if (i.key_updates)
        mirage_log_info("session: %llu key updates",
                        (unsigned long long)i.key_updates);
    if (n < 0)
        mirage_log_info("echo: %s", mirage_strerror((int)n));
    mirage_tls_close(t);
    return 0;
}

/* Answer one HTTP request on f. */
static void http(struct mirage_flow *f)
{
    char req[2048];
    size_t len = 0;
    while (len < sizeof req - 1) {
        long n =
            mirage_flow_read(f, req + len, sizeof req - 1 - len, DEADLINE());
        if (n <= 0) {
            if (n < 0)
                mirage_log_info("http: %s", mirage_strerror((int)n));
            return;
        }
        len += (size_t)n;
        req[len] = 0;
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    unsigned long long want = 0;
    bool bytes = strncmp(req, "GET /bytes/", 11) == 0;
    if (bytes)
        want = strtoull(req + 11, NULL, 10);
    static const char hello[] = "hello from mirage\n";
    char head[160];
    int hl = snprintf(head, sizeof head,
                      "HTTP/1.1 200 OK\r\nContent-Length: %llu\r\n"
                      "Connection: close\r\n\r\n",
                      bytes ? want : (unsigned long long)(sizeof hello - 1));
    if (mirage_flow_write(f, head, (size_t)hl, DEADLINE()) < 0)
        return;
    if (!bytes) {
        mirage_flow_write(f, hello, sizeof hello - 1, DEADLINE());
        return;
    }
    while (want > 0) {
        size_t n = want < sizeof pattern ? (size_t)want : sizeof pattern;
        long w = mirage_flow_write(f, pattern, n, DEADLINE());
        if (w < 0) {
            mirage_log_info("http: %s", mirage_strerror((int)w));
            return;
        }
        want -= (unsigned long long)w;
    }
}

static int https(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    struct mirage_tls_flow *t = accept_tls(f);
    if (!t)
        return 0;
    http(&t->flow);
    mirage_tls_close(t);
    return 0;
}

static int plain_http(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    http(&f->flow);
    mirage_tcp_close(f);
    return 0;
}

/* "IP:PORT" */
static int parse_target(const char *s, struct mirage_ipaddr *ip, uint16_t *port)
{
    char host[MIRAGE_IPV4_STRLEN];
    const char *colon = strchr(s, ':');
    mirage_ipv4_addr a;
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return MIRAGE_EINVAL;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    unsigned long p = strtoul(colon + 1, NULL, 10);
    if (mirage_ipv4_parse(host, &a) != 0 || p == 0 || p > 65535)
        return MIRAGE_EINVAL;
    *ip = mirage_ipaddr_of_v4(a);
    *port = (uint16_t)p;
    return 0;
}

static int client(const char *target, const char *host, int64_t count)
{
    struct mirage_ipaddr ip;
    uint16_t port;
    if (parse_target(target, &ip, &port)) {
        mirage_log_err("client: bad target '%s'", target);
        return 1;
    }
    int failures = 0;
    for (int64_t i = 0; i < count; i++) {
        struct mirage_tcp_flow *f;
        struct mirage_tls_flow *t;
        int err = mirage_tcp_connect(tcp, &ip, port, DEADLINE(), &f);
        if (!err)
            err = mirage_tls_client_of_flow(client_cfg, *host ? host : NULL,
                                            &f->flow, DEADLINE(), &t);
        if (err) {
            mirage_log_info("client: failed: %s", mirage_strerror(err));
            failures++;
            continue;
        }
        log_session("client", t);
        if (key_update && (err = mirage_tls_key_update(t, true, DEADLINE())))
            mirage_log_info("client: key update: %s", mirage_strerror(err));
        char req[512];
        int rl = snprintf(req, sizeof req, "GET / HTTP/1.0\r\nHost: %s\r\n\r\n",
                          host);
        long n = mirage_tls_write(t, req, (size_t)rl, DEADLINE());
        uint64_t total = 0;
        char buf[16384], first[64] = "";
        while (n >= 0 &&
               (n = mirage_tls_read(t, buf, sizeof buf, DEADLINE())) > 0) {
            if (!total)
                snprintf(first, sizeof first, "%.*s", (int)strcspn(buf, "\r\n"),
                         buf);
            total += (uint64_t)n;
        }
        if (n < 0) {
            mirage_log_info("client: read: %s", mirage_strerror((int)n));
            failures++;
        } else {
            mirage_log_info("client: got %llu bytes: %s",
                            (unsigned long long)total, first);
        }
        mirage_tls_close(t);
    }
    mirage_log_info("client: done, %d failed", failures);
    return failures ? 1 : 0;
}

static int hex_pin(const char *s, uint8_t pin[32])
{
    if (strlen(s) != 64)
        return MIRAGE_EINVAL;
    for (int i = 0; i < 32; i++) {
        char two[3] = {s[2 * i], s[2 * i + 1], 0}, *end;
        pin[i] = (uint8_t)strtoul(two, &end, 16);
        if (*end)
            return MIRAGE_EINVAL;
    }
    return 0;
}

static uint16_t version_of(const char *s)
{
    return !*s ? 0 : strcmp(s, "1.2") == 0 ? MIRAGE_TLS_1_2 : MIRAGE_TLS_1_3;
}

int mirage_app_main(int argc, char **argv)
{
    const char *iface, *cidr, *gateway, *storage, *logs, *alpn, *max, *names,
        *connect, *host, *pin, *min;
    bool no_tickets, insecure;
    int64_t count;
    struct mirage_arg args[] = {
        {"interface", 0, MIRAGE_ARG_STRING, "NAME", "the tap device", NULL,
         "tap0", NULL, &iface},
        {"ipv4", 0, MIRAGE_ARG_STRING, "PREFIX", "our address", NULL, NULL,
         NULL, &cidr},
        {"ipv4-gateway", 0, MIRAGE_ARG_STRING, "IP", "the gateway", NULL, "",
         NULL, &gateway},
        {"storage", 0, MIRAGE_ARG_STRING, "BLOCK", "the credentials archive",
         NULL, "storage", NULL, &storage},
        {"alpn", 0, MIRAGE_ARG_STRING, "LIST", "ALPN protocols", NULL, "", NULL,
         &alpn},
        {"max-version", 0, MIRAGE_ARG_STRING, "1.2|1.3", "highest version",
         NULL, "", NULL, &max},
        {"min-version", 0, MIRAGE_ARG_STRING, "1.2|1.3", "lowest version", NULL,
         "", NULL, &min},
        {"names", 0, MIRAGE_ARG_STRING, "LIST", "more chains (SNI)", NULL, "",
         NULL, &names},
        {"no-tickets", 0, MIRAGE_ARG_BOOL, NULL, "issue no tickets", NULL,
         "false", NULL, &no_tickets},
        {"connect", 0, MIRAGE_ARG_STRING, "IP:PORT", "be a client", NULL, "",
         NULL, &connect},
        {"host", 0, MIRAGE_ARG_STRING, "NAME", "the server's name", NULL, "",
         NULL, &host},
        {"connections", 0, MIRAGE_ARG_INT, "N", "client sessions", NULL, "1",
         NULL, &count},
        {"pin", 0, MIRAGE_ARG_STRING, "HEX", "an SPKI SHA-256 pin", NULL, "",
         NULL, &pin},
        {"insecure", 0, MIRAGE_ARG_BOOL, NULL, "no verification", NULL, "false",
         NULL, &insecure},
        {"key-update", 0, MIRAGE_ARG_BOOL, NULL, "client KeyUpdate", NULL,
         "false", NULL, &key_update},
        {"logs", 'l', MIRAGE_ARG_STRING, "LEVELS", "log thresholds", NULL,
         "info", mirage_log_check_spec, &logs},
    };
    int r = mirage_args_parse(args, sizeof args / sizeof args[0], argc, argv);
    if (r)
        return r;
    mirage_log_set_levels(logs, NULL);
    for (size_t i = 0; i < sizeof pattern; i++)
        pattern[i] = (uint8_t)('a' + i % 26);
    struct mirage_ipv4 *v4;
    struct mirage_random *random;
    struct mirage_block *block;
    struct mirage_kv_ro *kv;
    struct mirage_pclock *pclock;
    int err = peer_stack_connect(iface, cidr, gateway, &v4, &random);
    if (!err)
        err = mirage_tcp_connect_direct(&tcp, mirage_ipv4_ip(v4), random);
    if (!err)
        err = mirage_block_connect_file(&block, storage);
    if (!err)
        err = mirage_kv_ro_connect_archive(&kv, block);
    if (!err)
        err = mirage_pclock_connect_default(&pclock);
    if (err) {
        mirage_log_err("cannot start: %s", mirage_strerror(err));
        return 1;
    }
    if (*connect) {
        struct mirage_tls_client_options o = {.random = random,
                                              .pclock = pclock,
                                              .max_version = version_of(max),
                                              .min_version = version_of(min),
                                              .alpn = *alpn ? alpn : NULL,
                                              .insecure_no_verification =
                                                  insecure};
        uint8_t p[32];
        if (insecure)
            err = mirage_tls_client_config_create(&o, &client_cfg);
        else
            err = mirage_tls_client_config_of_kv(kv, &o, &client_cfg);
        if (!err && *pin && !(err = hex_pin(pin, p)))
            err = mirage_tls_client_config_add_pin(client_cfg, p);
        if (err) {
            mirage_log_err("client configuration: %s", mirage_strerror(err));
            return 1;
        }
        return client(connect, host, count);
    }
    /* --names=a,b: a.pem and a.key ... */
    const char *list[9] = {NULL};
    char buf[256];
    snprintf(buf, sizeof buf, "%s", names);
    size_t n = 0;
    for (char *save, *tok = strtok_r(buf, ",", &save); tok && n < 8;
         tok = strtok_r(NULL, ",", &save))
        list[n++] = tok;
    struct mirage_tls_server_options o = {.random = random,
                                          .max_version = version_of(max),
                                          .min_version = version_of(min),
                                          .alpn = *alpn ? alpn : NULL,
                                          .no_tickets = no_tickets};
    err = mirage_tls_server_config_of_kv(kv, list, &o, &server_cfg);
    if (!err)
        err = mirage_tcp_listen(tcp, 4433, NULL, echo_line, NULL);
    if (!err)
        err = mirage_tcp_listen(tcp, 4434, NULL, https, NULL);
    if (!err)
        err = mirage_tcp_listen(tcp, 4435, NULL, plain_http, NULL);
    if (err) {
        mirage_log_err("cannot serve: %s", mirage_strerror(err));
        return 1;
    }
    mirage_log_info("listening");
    for (;;)
        mirage_sleep_ns(MIRAGE_SEC(3600));
}
