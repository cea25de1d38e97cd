/* Naming x86-64 CPU exceptions and formatting registers for the guest
 * bindings' fault reports, without allocation or printf (they run when
 * the runtime may be broken). */
#ifndef MIRAGE_PLAT_SOLO5_EXCEPTION_H
#define MIRAGE_PLAT_SOLO5_EXCEPTION_H

#include <stdint.h>

/* "#PF page fault" for vector 14 and so on; "reserved exception" for a
 * vector without a name. */
const char *solo5_exception_name(uint64_t vector);

/* Formats v as 0x followed by 16 hex digits into buf; returns buf. */
const char *solo5_hex(uint64_t v, char buf[19]);

#endif
