/* The socket stacks (<mirage/socket.h>): a socket UDP and a socket TCP
 * device bound to one address, bundled as the stack interfaces; the
 * layers below them are the host's, so those members are NULL. */
#include <mirage/error.h>
#include <mirage/socket.h>
#include <stdlib.h>

/* The two devices, or an error with neither left over. */
static int connect_pair(const char *ipv4, struct mirage_udp **udp,
                        struct mirage_tcp **tcp)
{
    int err = mirage_socket_udpv4_connect(ipv4, udp);
    if (err)
        return err;
    err = mirage_socket_tcpv4_connect(ipv4, tcp);
    if (err)
        mirage_udp_disconnect(*udp);
    return err;
}

int mirage_socket_stackv4_connect(const char *ipv4, struct mirage_stackv4 **out)
{
    struct mirage_stackv4 *s = calloc(1, sizeof(*s));
    if (!s)
        return MIRAGE_ENOMEM;
    int err = connect_pair(ipv4, &s->udp, &s->tcp);
    if (err) {
        free(s);
        return err;
    }
    *out = s;
    return 0;
}

int mirage_socket_stackv4v6_connect(const char *ipv4, struct mirage_stack **out)
{
    struct mirage_stack *s = calloc(1, sizeof(*s));
    if (!s)
        return MIRAGE_ENOMEM;
    int err = connect_pair(ipv4, &s->udp, &s->tcp);
    if (err) {
        free(s);
        return err;
    }
    *out = s;
    return 0;
}
