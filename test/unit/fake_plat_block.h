/* A hosted stand-in for the platform's block calls (plat_block_* of
 * include/mirage/plat.h) over one in-memory device, with knobs to make
 * the calls fail. */
#ifndef MIRAGE_TEST_FAKE_PLAT_BLOCK_H
#define MIRAGE_TEST_FAKE_PLAT_BLOCK_H

#include <mirage/plat.h>
#include <stdbool.h>
#include <stdint.h>

/* Make the device `name` (any other name is PLAT_EINVAL) of capacity
 * bytes in blocks of block_size, zero-filled; replaces the previous one. */
void fake_block_setup(const char *name, uint64_t capacity, uint64_t block_size,
                      bool read_only);
/* The device's bytes (capacity of them). */
unsigned char *fake_block_data(void);
/* When non-zero, the call with this number (counting every read and
 * write from 1 since setup) fails with PLAT_EUNSPEC. */
extern unsigned long fake_block_fail_at;
/* When true, acquire fails with PLAT_EUNSPEC. */
extern bool fake_block_acquire_fails;

#endif
