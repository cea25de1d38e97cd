/* Helpers shared by the hvt test guests (support/guest.c). */
#ifndef MIRAGE_TEST_HVT_GUEST_H
#define MIRAGE_TEST_HVT_GUEST_H

/* Write a NUL-terminated string to the console. */
void guest_print(const char *s);

#endif
