/* The direct stack (include/mirage/stack.h): the v4v6 IP device, direct
 * UDP and direct TCP over the given layers, bundled. */
#include <mirage/error.h>
#include <mirage/log.h>
#include <mirage/stack.h>
#include <stdlib.h>

int mirage_stack_connect_direct(struct mirage_stack **out,
                                struct mirage_net *net,
                                struct mirage_ethernet *e, struct mirage_arp *a,
                                struct mirage_ipv4 *v4, struct mirage_ipv6 *v6,
                                struct mirage_random *random)
{
    if (!v4 && !v6) {
        mirage_log_err("stack: no IP layer (--ipv4-only and --ipv6-only "
                       "together?)");
        return MIRAGE_EINVAL;
    }
    struct mirage_stack *s = malloc(sizeof *s);
    if (!s)
        return MIRAGE_ENOMEM;
    *s = (struct mirage_stack){.net = net,
                               .ethernet = e,
                               .arp = v4 ? a : NULL,
                               .ipv4 = v4,
                               .ipv6 = v6};
    int err = mirage_ip_connect_v4v6(&s->ip, v4, v6);
    if (!err)
        err = mirage_udp_connect_direct(&s->udp, s->ip, random);
    if (!err) {
        err = mirage_tcp_connect_direct(&s->tcp, s->ip, random);
        if (err)
            mirage_udp_disconnect(s->udp);
    }
    if (err) {
        if (s->ip)
            mirage_ip_disconnect_v4v6(s->ip);
        free(s);
        return err;
    }
    *out = s;
    return 0;
}

void mirage_stack_disconnect_direct(struct mirage_stack *s)
{
    mirage_tcp_disconnect_direct(s->tcp);
    mirage_udp_disconnect(s->udp);
    mirage_ip_disconnect_v4v6(s->ip);
    free(s);
}
