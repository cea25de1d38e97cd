/* The direct stacks (include/mirage/stack.h): the v4v6 IP device, direct
 * UDP and direct TCP over the given layers, bundled. */
#include <mirage/error.h>
#include <mirage/stack.h>
#include <stdlib.h>

/* The members both stack forms share; on error nothing is left. */
struct members {
    struct mirage_ip *ip;
    struct mirage_udp *udp;
    struct mirage_tcp *tcp;
};

static int connect_members(struct mirage_ipv4 *v4, struct mirage_random *random,
                           struct members *m)
{
    int err = mirage_ipv4v6_connect(v4, &m->ip);
    if (err)
        return err;
    err = mirage_udp_connect(m->ip, random, &m->udp);
    if (err)
        return err;
    err = mirage_tcp_direct_connect(m->ip, random, &m->tcp);
    if (err)
        mirage_udp_disconnect(m->udp);
    return err;
}

int mirage_stackv4_direct_connect(struct mirage_net *net,
                                  struct mirage_ethernet *e,
                                  struct mirage_arp *a, struct mirage_ipv4 *v4,
                                  struct mirage_random *random,
                                  struct mirage_stackv4 **out)
{
    struct mirage_stackv4 *s = malloc(sizeof *s);
    if (!s)
        return MIRAGE_ENOMEM;
    struct members m;
    int err = connect_members(v4, random, &m);
    if (err) {
        free(s);
        return err;
    }
    *s = (struct mirage_stackv4){net, e, a, v4, m.ip, m.udp, m.tcp};
    *out = s;
    return 0;
}

int mirage_stackv4v6_direct_connect(struct mirage_net *net,
                                    struct mirage_ethernet *e,
                                    struct mirage_arp *a,
                                    struct mirage_ipv4 *v4,
                                    struct mirage_random *random,
                                    struct mirage_stack **out)
{
    struct mirage_stack *s = malloc(sizeof *s);
    if (!s)
        return MIRAGE_ENOMEM;
    struct members m;
    int err = connect_members(v4, random, &m);
    if (err) {
        free(s);
        return err;
    }
    *s = (struct mirage_stack){net, e, a, v4, m.ip, m.udp, m.tcp};
    *out = s;
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
