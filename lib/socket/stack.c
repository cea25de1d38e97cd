/* The socket stacks (<mirage/socket.h>): a socket UDP and a socket TCP
 * device bound to one address, bundled as the stack interfaces; the
 * layers below them are the host's, so those members are NULL. */
#include <mirage/error.h>
#include <mirage/socket.h>
#include <stdlib.h>

/* A zeroed stack of size bytes in *s and its two devices; on error
 * nothing is left. */
static int new_stack(size_t size, const char *ipv4, void **s,
                     struct mirage_udp **udp, struct mirage_tcp **tcp)
{
    *s = calloc(1, size);
    if (!*s)
        return MIRAGE_ENOMEM;
    int err = mirage_socket_udpv4_connect(ipv4, udp);
    if (!err) {
        err = mirage_socket_tcpv4_connect(ipv4, tcp);
        if (err)
            mirage_udp_disconnect(*udp);
    }
    if (err)
        free(*s);
    return err;
}

int mirage_socket_stackv4_connect(const char *ipv4, struct mirage_stackv4 **out)
{
    void *s;
    struct mirage_udp *udp;
    struct mirage_tcp *tcp;
    int err = new_stack(sizeof **out, ipv4, &s, &udp, &tcp);
    if (err)
        return err;
    *out = s;
    (*out)->udp = udp;
    (*out)->tcp = tcp;
    return 0;
}

int mirage_socket_stackv4v6_connect(const char *ipv4, struct mirage_stack **out)
{
    void *s;
    struct mirage_udp *udp;
    struct mirage_tcp *tcp;
    int err = new_stack(sizeof **out, ipv4, &s, &udp, &tcp);
    if (err)
        return err;
    *out = s;
    (*out)->udp = udp;
    (*out)->tcp = tcp;
    return 0;
}
