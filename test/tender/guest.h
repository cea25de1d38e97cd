/* Helpers shared by the hvt, spt and virtio test guests (guest.c). The
 * guests replace the runtime: each defines mirage_rt_boot and acts on its
 * arguments. */
#ifndef MIRAGE_TEST_TENDER_GUEST_H
#define MIRAGE_TEST_TENDER_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Write a NUL-terminated string / an unsigned decimal to the console. */
void guest_print(const char *s);
void guest_print_u64(uint64_t v);

/* Whether the NUL-terminated strings are equal. */
bool guest_streq(const char *a, const char *b);

/* The unsigned decimal s (0 if it is not one). */
uint64_t guest_atou(const char *s);

/* Whether s starts with p; *rest is then what follows p in s. */
bool guest_prefix(const char *p, const char *s, const char **rest);

/* Print "ok WHAT" or "FAILED WHAT"; guest_failures counts the latter. */
extern int guest_failures;
void guest_check(bool ok, const char *what);

/* The clock checks of a guest without devices: the wall clock is
 * plausible (2020 to 2100); plat_yield with a deadline sleep_ns away
 * reports nothing ready and returns no earlier; the wall clock advances
 * with the monotonic one. Returns how long the yield took, in ns. */
uint64_t guest_check_clocks(uint64_t sleep_ns);

/* A test pattern of n bytes from seed, and comparing two buffers. */
void guest_fill(uint8_t *p, size_t n, uint8_t seed);
bool guest_same(const uint8_t *a, const uint8_t *b, size_t n);

#endif
