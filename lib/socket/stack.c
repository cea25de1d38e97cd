/* The socket stack (<mirage/socket.h>): a socket UDP and a socket TCP
 * device bound to the same addresses, bundled as the stack interfaces;
 * the layers below them are the host's, so those members are NULL. */
#include <mirage/error.h>
#include <mirage/socket.h>
#include <stdlib.h>

int mirage_stack_connect_socket(struct mirage_stack **out, const char *ipv4,
                                const char *ipv6, bool ipv4_only,
                                bool ipv6_only)
{
    struct mirage_stack *s = calloc(1, sizeof *s);
    if (!s)
        return MIRAGE_ENOMEM;
    int err =
        mirage_udp_connect_socket(&s->udp, ipv4, ipv6, ipv4_only, ipv6_only);
    if (!err) {
        err = mirage_tcp_connect_socket(&s->tcp, ipv4, ipv6, ipv4_only,
                                        ipv6_only);
        if (err)
            mirage_udp_disconnect(s->udp);
    }
    if (err) {
        free(s);
        return err;
    }
    *out = s;
    return 0;
}
