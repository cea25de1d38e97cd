/* The lookups of the DNS test images (lookups.h). */
#include "lookups.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    uint16_t type;
} types[] = {
    {"A", MIRAGE_DNS_A},         {"AAAA", MIRAGE_DNS_AAAA},
    {"CNAME", MIRAGE_DNS_CNAME}, {"MX", MIRAGE_DNS_MX},
    {"TXT", MIRAGE_DNS_TXT},     {"SRV", MIRAGE_DNS_SRV},
    {"PTR", MIRAGE_DNS_PTR},
};

static void print_rr(const struct mirage_dns_rr *r)
{
    char a[MIRAGE_IPADDR_STRLEN];
    switch (r->type) {
    case MIRAGE_DNS_A:
    case MIRAGE_DNS_AAAA:
        printf(" %s", mirage_ipaddr_to_string(&r->addr, a));
        break;
    case MIRAGE_DNS_MX:
        printf(" %u %s", r->priority, r->target);
        break;
    case MIRAGE_DNS_SRV:
        printf(" %u %u %u %s", r->priority, r->weight, r->port, r->target);
        break;
    case MIRAGE_DNS_TXT:
        printf(" %zu bytes %.16s", r->len, (const char *)r->data);
        break;
    default:
        printf(" %s", r->target ? r->target : "?");
    }
}

/* Look one NAME or NAME/TYPE up (no type: both address families, as
 * getaddrinfo; type ADDR: the reverse lookup of an address). */
static void lookup(struct mirage_resolver *r, const char *item)
{
    char name[256];
    snprintf(name, sizeof name, "%s", item);
    char *slash = strchr(name, '/');
    const char *tname = slash ? slash + 1 : "ADDRS";
    if (slash)
        *slash = '\0';
    uint64_t deadline = mirage_now() + MIRAGE_SEC(10);
    if (!strcmp(tname, "ADDRS")) {
        struct mirage_ipaddr a[8];
        long n = mirage_resolver_getaddrinfo(r, name, 0, a, 8, deadline);
        printf("answer %s ADDRS:", name);
        if (n < 0)
            printf(" error %s", mirage_strerror((int)n));
        for (long i = 0; i < n && i < 8; i++) {
            char s[MIRAGE_IPADDR_STRLEN];
            printf(" %s", mirage_ipaddr_to_string(&a[i], s));
        }
        printf("\n");
        return;
    }
    if (!strcmp(tname, "ADDR")) {
        struct mirage_ipaddr a;
        char host[256];
        int err = mirage_ipaddr_parse(name, &a);
        if (!err)
            err = mirage_resolver_reverse(r, &a, host, sizeof host, deadline);
        printf("answer %s ADDR: %s\n", name, err ? mirage_strerror(err) : host);
        return;
    }
    uint16_t type = 0;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(types[i].name, tname))
            type = types[i].type;
    struct mirage_dns_answer *ans;
    int err = type ? mirage_resolver_query(r, name, type, deadline, &ans)
                   : MIRAGE_EINVAL;
    printf("answer %s %s:", name, tname);
    if (err) {
        printf(" error %s\n", mirage_strerror(err));
        return;
    }
    if (strcmp(ans->canonical, ans->name) != 0)
        printf(" (%s)", ans->canonical);
    for (size_t i = 0; i < ans->count; i++)
        print_rr(&ans->rr[i]);
    printf("%s\n", ans->count ? "" : " none");
    mirage_dns_answer_free(ans);
}

void lookups_bench(struct mirage_resolver *r, int64_t n)
{
    char name[64];
    struct mirage_ipaddr a;
    /* Untimed: the server's MAC address is resolved (and a bridge port
     * that loses the first frame after carrier-up is warmed up). */
    mirage_resolver_getaddrinfo(r, "warmup.bench.test", MIRAGE_IP_V4, &a, 1,
                                mirage_now() + MIRAGE_SEC(10));
    for (int pass = 0; pass < 2; pass++) {
        uint64_t t0 = mirage_now();
        int64_t ok = 0;
        for (int64_t i = 0; i < n; i++) {
            snprintf(name, sizeof name, "i%lld.bench.test",
                     pass ? 0LL : (long long)i + 1);
            ok += mirage_resolver_getaddrinfo(r, name, MIRAGE_IP_V4, &a, 1,
                                              t0 + MIRAGE_SEC(60)) > 0;
        }
        uint64_t ns = mirage_now() - t0;
        printf("bench %s: %lld of %lld in %llu us: %llu lookups/s\n",
               pass ? "cached" : "cold", (long long)ok, (long long)n,
               (unsigned long long)(ns / 1000),
               (unsigned long long)(ns ? (uint64_t)n * 1000000000u / ns : 0));
    }
}

void lookups_run(struct mirage_resolver *r, const char *list)
{
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char item[256];
        snprintf(item, sizeof item, "%.*s", (int)n, p);
        lookup(r, item);
        p += n + (comma ? 1 : 0);
    }
}
