/* sockecho: the socket stack's peer-test unikernel (test/socket/peers.sh),
 * configured with socket_stackv4v6, socket_udpv4 and socket_tcpv4, so the
 * configuration tool's devices, the generated main.c and the --ipv4 runtime
 * argument are exercised with the library. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *port = runtime_arg_int(
        "port", 8080,
        "Serve TCP and UDP echo on PORT and PORT+2, and a TCP source on "
        "PORT+1; with --connect, the peer's port.",
        .docv = "PORT");
    runtime_arg *bytes = runtime_arg_int(
        "bytes", 1048576, "How much the TCP source or client sends.",
        .docv = "N");
    runtime_arg *connect = runtime_arg_bool(
        "connect", false,
        "Connect to PEER:PORT instead of serving: send --bytes over TCP "
        "and close, or with --udp exchange one datagram.");
    runtime_arg *udp = runtime_arg_bool(
        "udp", false,
        "With --connect: send a datagram from PORT+1 and await its echo.");
    runtime_arg *timeout = runtime_arg_int(
        "timeout-ms", 10000, "Deadline of the client's calls.", .docv = "MS");
    runtime_arg *peer = runtime_arg_string(
        "peer", "127.0.0.1", "The address --connect reaches (either family).",
        .docv = "IP");
    impl *m = mirage_main(
        "sockecho_start",
        typ_fn(stackv4v6_typ, typ_fn(udpv4v6_typ, typ_fn(tcpv4v6_typ, job))),
        .runtime_args = args(port, bytes, connect, udp, timeout, peer));
    return mirage_register(
        argc, argv, "sockecho",
        jobs(apply(m, socket_stackv4v6(), socket_udpv4("127.0.0.1"),
                   socket_tcpv4(NULL))));
}
