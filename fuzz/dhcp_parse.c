/* libFuzzer target: the DHCP reply parser (lib/dhcp/wire.c) on arbitrary
 * messages. Either it refuses the message with a reason, or everything it
 * returns is within bounds: address lists of at most
 * MIRAGE_DHCP_MAX_ADDRS usable addresses, NUL-terminated names of name
 * characters, a contiguous prefix length. A crash or a sanitizer report is
 * a bug. */
#include "../lib/dhcp/wire.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_name(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    if (n == cap)
        abort();
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789-._",
                    s[i]))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dhcp_in m;
    const char *why = NULL;
    if (dhcp_parse(data, size, &m, &why) != 0) {
        if (!why)
            abort();
        return 0;
    }
    if (m.nrouters > MIRAGE_DHCP_MAX_ADDRS || m.ndns > MIRAGE_DHCP_MAX_ADDRS ||
        m.type < DHCP_DISCOVER || m.type > DHCP_INFORM ||
        (m.has_mask && m.prefix_bits > 32) || (m.mtu && m.mtu < 68))
        abort();
    for (size_t i = 0; i < m.ndns; i++)
        if (m.dns[i] == 0 || m.dns[i] == MIRAGE_IPV4_BROADCAST)
            abort();
    check_name(m.hostname, sizeof m.hostname);
    check_name(m.domain, sizeof m.domain);
    if (strnlen(m.message, sizeof m.message) == sizeof m.message)
        abort();
    return 0;
}
