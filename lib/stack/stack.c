/* The direct stacks (include/mirage/stack.h): the v4v6 IP device, direct
 * UDP and direct TCP over the given layers, bundled. */
#include <mirage/error.h>
#include <mirage/stack.h>
#include <stdlib.h>

/* The members both stack forms share. */
struct members {
    struct mirage_ip *ip;
    struct mirage_udp *udp;
    struct mirage_tcp *tcp;
};

/* A stack of size bytes (uninitialised) in *s and its members in *m; on
 * error nothing is left. */
static int new_stack(size_t size, struct mirage_ipv4 *v4,
                     struct mirage_random *random, void **s, struct members *m)
{
    *s = malloc(size);
    if (!*s)
        return MIRAGE_ENOMEM;
    int err = mirage_ipv4v6_connect(v4, &m->ip);
    if (!err)
        err = mirage_udp_connect(m->ip, random, &m->udp);
    if (!err) {
        err = mirage_tcp_direct_connect(m->ip, random, &m->tcp);
        if (err)
            mirage_udp_disconnect(m->udp);
    }
    if (err)
        free(*s);
    return err;
}

int mirage_stackv4_direct_connect(struct mirage_net *net,
                                  struct mirage_ethernet *e,
                                  struct mirage_arp *a, struct mirage_ipv4 *v4,
                                  struct mirage_random *random,
                                  struct mirage_stackv4 **out)
{
    void *s;
    struct members m;
    int err = new_stack(sizeof **out, v4, random, &s, &m);
    if (err)
        return err;
    *out = s;
    **out = (struct mirage_stackv4){net, e, a, v4, m.ip, m.udp, m.tcp};
    return 0;
}

int mirage_stackv4v6_direct_connect(struct mirage_net *net,
                                    struct mirage_ethernet *e,
                                    struct mirage_arp *a,
                                    struct mirage_ipv4 *v4,
                                    struct mirage_random *random,
                                    struct mirage_stack **out)
{
    void *s;
    struct members m;
    int err = new_stack(sizeof **out, v4, random, &s, &m);
    if (err)
        return err;
    *out = s;
    **out = (struct mirage_stack){net, e, a, v4, m.ip, m.udp, m.tcp};
    return 0;
}

void mirage_stackv4_direct_disconnect(struct mirage_stackv4 *s)
{
    mirage_tcp_direct_disconnect(s->tcp);
    mirage_udp_disconnect(s->udp);
    free(s);
}

void mirage_stackv4v6_direct_disconnect(struct mirage_stack *s)
{
    mirage_tcp_direct_disconnect(s->tcp);
    mirage_udp_disconnect(s->udp);
    free(s);
}
