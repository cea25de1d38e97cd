/* The socket stack's catalogue entries (<mirage/config/socket.h>): the
 * connect functions of <mirage/socket.h> in libmirage_socket.a, which
 * uses the unix-only host sockets: every device supports unix alone. */
#include <mirage/config.h>

#include <arpa/inet.h>

/* A socket device of type t, connected by the socket implementation of
 * KIND bound to the C expression addr; arg (NULL: none) is its runtime
 * argument. */
static impl *socket_device(const char *name, typ *t, const char *kind,
                           const char *addr, runtime_arg *arg)
{
    return impl(name, t,
                .connect = mirage_printf("mirage_%s_connect_socket(&$out, %s)",
                                         kind, addr),
                .headers = strs("mirage/socket.h"), .libraries = strs("socket"),
                .targets = strs("unix"), .runtime_args = {arg ? 1 : 0, &arg});
}

/* The stacks bind to --ipv4 (--GROUP-ipv4), whose default 0.0.0.0/0
 * means any address, as MirageOS's socket stacks. */
impl *mirage_socket_stack_(struct mirage_net_opts o, bool v4v6)
{
    const char *name = mirage_group_name(o.group, "ipv4");
    runtime_arg *arg = runtime_arg_string(
        name, "0.0.0.0/0",
        "The IPv4 address the socket stack binds its sockets to (the "
        "prefix length is ignored; 0.0.0.0 is any address).",
        .docv = "PREFIX", .section = "NETWORK OPTIONS");
    if (!arg)
        return NULL;
    return socket_device(v4v6 ? "socket_stackv4v6" : "socket_stackv4",
                         v4v6 ? stackv4v6_typ : stackv4_typ, "stack",
                         mirage_printf("${%s}", name), arg);
}

/* socket_udpv4 / socket_tcpv4: bound to the fixed address ip (NULL:
 * any), checked now. */
static impl *socket_transport(const char *name, typ *t, const char *kind,
                              const char *ip)
{
    struct in_addr a;
    if (ip && inet_pton(AF_INET, ip, &a) != 1)
        return mirage_fail("%s: bad IPv4 address '%s' (expected A.B.C.D)", name,
                           ip);
    return socket_device(name, t, kind, ip ? mirage_cstr(ip) : "NULL", NULL);
}

impl *mirage_socket_udpv4_(const char *ip)
{
    return socket_transport("socket_udpv4", udpv4v6_typ, "udp", ip);
}

impl *mirage_socket_tcpv4_(const char *ip)
{
    return socket_transport("socket_tcpv4", tcpv4v6_typ, "tcp", ip);
}
