/* The unikernel of the resolver_unix_system test (test/dhcp/dnsmasq.sh):
 * the resolver over the host's sockets with the host's /etc/resolv.conf,
 * looking the names of --lookup up and printing one "answer ..." line
 * each (lookups.h). */
#include <mirage/args.h>
#include <mirage/error.h>
#include <mirage/log.h>
#include <mirage/resolver.h>
#include <mirage/rt.h>

#include "lookups.h"

int mirage_app_main(int argc, char **argv)
{
    const char *lookups;
    struct mirage_arg args[] = {
        {"lookup", 0, MIRAGE_ARG_STRING, "NAMES", "NAME[/TYPE],... to look up",
         NULL, "", NULL, &lookups},
    };
    int rc = mirage_args_parse(args, 1, argc, argv);
    if (rc)
        return rc;
    struct mirage_resolver *r;
    int err = mirage_resolver_connect_unix_system(&r);
    if (err) {
        mirage_log_err("cannot start: %s", mirage_strerror(err));
        return 1;
    }
    lookups_run(r, lookups);
    return 0;
}
