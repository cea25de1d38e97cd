/* syslog: log messages to a syslog server instead of the console. The
 * configure key --syslog-transport chooses syslog_udp (default),
 * syslog_tcp or syslog_tls (trusting the roots of tls/ca-roots.crt);
 * the server is given at boot with --syslog=ADDRESS (and --syslog-port),
 * the HOSTNAME field with --syslog-hostname (default "mirage"). */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    key *transport = key_enum("syslog-transport", "udp",
                              "How log messages reach the syslog server.",
                              "udp", "tcp", "tls");
    runtime_arg *count = runtime_arg_int(
        "count", 4, "How many rounds of messages to log.", .docv = "N");
    impl *m = mirage_main("syslog_start", typ_fn(syslog_typ, job),
                          .runtime_args = args(count));
    impl *stack = generic_stackv4v6(default_network());
    struct mirage_syslog_settings config = syslog_config("mirage");
    impl *syslog = match_impl(
        key_value(transport), syslog_udp(stack, .config = config),
        match_case("tcp", syslog_tcp(stack, .config = config)),
        match_case("tls", syslog_tls(stack, crunch("tls"), .config = config)));
    return mirage_register(argc, argv, "syslog", jobs(apply(m, syslog)));
}
