/* Helpers shared by the spt test guests (support/guest.c). The guests
 * replace the runtime: each defines mirage_rt_boot and acts on its
 * arguments. */
#ifndef MIRAGE_TEST_SPT_GUEST_H
#define MIRAGE_TEST_SPT_GUEST_H

#include <stdbool.h>
#include <stdint.h>

/* Write a NUL-terminated string / an unsigned decimal to the console. */
void guest_print(const char *s);
void guest_print_u64(uint64_t v);

/* Whether the NUL-terminated strings are equal. */
bool guest_streq(const char *a, const char *b);

/* The unsigned decimal s (0 if it is not one). */
uint64_t guest_atou(const char *s);

#endif
