/* dns: looks each name of --domain-name up (its IPv4 and IPv6
 * addresses, asked at once) and prints what the servers said, as the
 * host(1) command does; the status is 1 when a name could not be
 * resolved. */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/resolver.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lookup {
    struct mirage_resolver *resolver;
    const char *name;
    uint16_t type;
    int err;
    struct mirage_dns_answer *answer;
};

static int query(void *arg)
{
    struct lookup *l = arg;
    l->err = mirage_resolver_query(l->resolver, l->name, l->type,
                                   mirage_now() + MIRAGE_SEC(10), &l->answer);
    return 0;
}

/* Print one name's answers; 0 when it has an address. */
static int resolve(struct mirage_resolver *r, const char *name)
{
    struct lookup l[2] = {{r, name, MIRAGE_DNS_A, 0, NULL},
                          {r, name, MIRAGE_DNS_AAAA, 0, NULL}};
    struct mirage_fiber *f = mirage_fiber_spawn(query, &l[1], 0);
    query(&l[0]);
    if (f)
        mirage_fiber_join(f);
    else
        l[1].err = MIRAGE_ENOMEM;
    size_t found = 0;
    bool aliased = false;
    for (int i = 0; i < 2; i++) {
        const struct mirage_dns_answer *a = l[i].answer;
        if (l[i].err)
            continue;
        if (!aliased && strcmp(a->canonical, a->name) != 0) {
            printf("%s is an alias for %s\n", a->name, a->canonical);
            aliased = true;
        }
        for (size_t j = 0; j < a->count; j++) {
            char s[MIRAGE_IPADDR_STRLEN];
            printf("%s has %saddress %s\n", a->canonical, i ? "IPv6 " : "",
                   mirage_ipaddr_to_string(&a->rr[j].addr, s));
        }
        found += a->count;
        mirage_dns_answer_free(l[i].answer);
    }
    if (found)
        return 0;
    int err = l[0].err ? l[0].err : l[1].err;
    printf("%s: %s\n", name,
           err == MIRAGE_ENOENT ? "not found (NXDOMAIN)"
           : err                ? mirage_strerror(err)
                                : "no address");
    return 1;
}

int dns_start(struct mirage_resolver *resolver)
{
    const char *arg = mirage_arg_domain_name();
    char *names = malloc(strlen(arg) + 1);
    if (!names) {
        printf("dns: %s\n", mirage_strerror(MIRAGE_ENOMEM));
        return 1;
    }
    memcpy(names, arg, strlen(arg) + 1);
    int status = 0;
    for (char *save, *n = strtok_r(names, ",", &save); n;
         n = strtok_r(NULL, ",", &save))
        status |= resolve(resolver, n);
    free(names);
    return status;
}
