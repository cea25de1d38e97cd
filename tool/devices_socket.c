/* The socket stack's devices in the catalogue: socket_stackv4,
 * socket_stackv4v6, socket_udpv4 and socket_tcpv4, UDP and TCP over the
 * host kernel's sockets (<mirage/socket.h>, lib/socket). Only the unix
 * target has host sockets, so the devices support only it. */
#include "engine.h"

#include <arpa/inet.h>

#define SOCKET_HEADER "mirage/socket.h"

static const char *const unix_only[] = {"unix"};

/* A socket device of type t: connect calls FN(ADDR, &$$) where ADDR is a
 * C expression for the bind address text, with `arg` (may be NULL) its
 * runtime argument. */
static impl *socket_device(const char *file, int line, const char *name, typ *t,
                           const char *fn, const char *addr, runtime_arg *arg)
{
    struct eng_device dev = {
        .connect = arena_printf("%s(&$$, %s)", fn, addr),
        .headers = {1, (const char *const[]){SOCKET_HEADER}},
        .targets = {1, unix_only},
        .libraries = {1, (const char *const[]){"socket"}},
        .args = {arg ? 1 : 0, (runtime_arg *const[]){arg}},
    };
    return make_device_(file, line, name, t, dev);
}

/* The stacks bind to --ipv4 (--GROUP-ipv4), whose default 0.0.0.0/0
 * means any address, as MirageOS's socket stacks. */
static impl *socket_stack(struct mirage_socket_opts o, const char *name, typ *t,
                          const char *fn)
{
    const char *arg_name =
        o.group && *o.group ? arena_printf("%s-ipv4", o.group) : "ipv4";
    runtime_arg *arg = mirage_runtime_arg_string_(
        arg_name, "0.0.0.0/0",
        "The IPv4 address the socket stack binds its sockets to (the "
        "prefix length is ignored; 0.0.0.0 is any address).",
        (struct mirage_arg_opts){.file_ = o.file_,
                                 .line_ = o.line_,
                                 .docv = "PREFIX",
                                 .section = "NETWORK OPTIONS"});
    if (!arg)
        return NULL;
    return socket_device(o.file_, o.line_, name, t, fn,
                         arena_printf("${%s}", arg_name), arg);
}

impl *mirage_socket_stackv4_(struct mirage_socket_opts o)
{
    return socket_stack(o, "socket_stackv4", stackv4_typ,
                        "mirage_stack_connect_socket");
}

impl *mirage_socket_stackv4v6_(struct mirage_socket_opts o)
{
    return socket_stack(o, "socket_stackv4v6", stackv4v6_typ,
                        "mirage_stack_connect_socket");
}

/* socket_udpv4 / socket_tcpv4: bound to the fixed address ip (NULL:
 * any), checked now. */
static impl *socket_transport(const char *file, int line, const char *ip,
                              const char *name, typ *t, const char *fn)
{
    struct in_addr a;
    if (ip && inet_pton(AF_INET, ip, &a) != 1) {
        eng_error(file, line, "%s: bad IPv4 address '%s' (expected A.B.C.D)",
                  name, ip);
        return NULL;
    }
    struct strbuf addr = {0};
    if (ip)
        sb_cstr(&addr, ip);
    else
        sb_add(&addr, "NULL");
    return socket_device(file, line, name, t, fn, sb_str(&addr), NULL);
}

impl *mirage_socket_udpv4_(const char *file, int line, const char *ip)
{
    return socket_transport(file, line, ip, "socket_udpv4", udpv4v6_typ,
                            "mirage_udp_connect_socket");
}

impl *mirage_socket_tcpv4_(const char *file, int line, const char *ip)
{
    return socket_transport(file, line, ip, "socket_tcpv4", tcpv4v6_typ,
                            "mirage_tcp_connect_socket");
}
