/* For the DHCP tests: finding an option in a DHCP message. */
#ifndef MIRAGE_TEST_DHCP_TEST_H
#define MIRAGE_TEST_DHCP_TEST_H

#include <stddef.h>
#include <stdint.h>

/* The value of option code in the options field of the message m (len
 * bytes), its length in *olen; NULL when absent. */
static inline const uint8_t *dhcp_test_opt(const uint8_t *m, size_t len,
                                           uint8_t code, size_t *olen)
{
    for (size_t i = 240; i + 1 < len && m[i] != 255;) {
        if (m[i] == 0) {
            i++;
            continue;
        }
        if (m[i] == code) {
            *olen = m[i + 1];
            return m + i + 2;
        }
        i += 2 + (size_t)m[i + 1];
    }
    return NULL;
}

#endif
