/* The monotonic clock of the hosted TLS engine tests: mirage_now() reads
 * cg_now_ns, which the tests move. */
#include "tls_certgen.h"

#include <mirage/fiber.h>

uint64_t mirage_now(void)
{
    return cg_now_ns;
}
