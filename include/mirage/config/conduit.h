/* Conduit (lib/conduit, entry in lib/conduit/config.c; <mirage/conduit.h>):
 * TCP and TLS endpoints over a stack, listened on and connected to
 * through one interface that hands out flows. Part of <mirage/config.h>;
 * include that. */
#ifndef MIRAGE_CONFIG_CONDUIT_H
#define MIRAGE_CONFIG_CONDUIT_H

/* conduit_typ: struct mirage_conduit *. */
#define conduit_typ                                                            \
    typ_new("conduit", "struct mirage_conduit *", .header = "mirage/conduit.h")

/* conduit_direct(stack, ...): MirageOS's `conduit_direct ?tls stack`, a
 * conduit over a stackv4v6 device's TCP; with .tls = true it also takes
 * TLS endpoints (their configurations come from tls_server and
 * tls_client, or from the application), and links lib/tls and BearSSL.
 * Example: conduit_direct(generic_stackv4v6(default_network()))
 * Example: conduit_direct(generic_stackv4v6(default_network()), .tls = true)
 */
struct mirage_conduit_opts {
    const char *file_;
    int line_;
    bool tls;
};
#define conduit_direct(stack, ...)                                             \
    MIRAGE_ENTRY_(mirage_conduit_direct_(                                      \
        (struct mirage_conduit_opts){                                          \
            .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__},                \
        (stack)))

impl *mirage_conduit_direct_(struct mirage_conduit_opts o, impl *stack);

#endif
