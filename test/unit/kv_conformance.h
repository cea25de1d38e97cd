/* The kv_rw conformance suite (kv_conformance.c): one set of tests every
 * read-write store must pass. A test program links the suite with one
 * file that provides the store under test through the functions below
 * (kv_conformance_mem.c, kv_conformance_direct.c, ...).
 *
 * The suite stays within what every backend can represent: lower-case
 * ASCII names of at most 40 bytes, values up to a few hundred KiB, and
 * last-modified times compared with a tolerance of 2 s. */
#ifndef MIRAGE_TEST_KV_CONFORMANCE_H
#define MIRAGE_TEST_KV_CONFORMANCE_H

#include <mirage/kv.h>

/* A fresh, empty store; 0 or a MIRAGE_E* code. Each test opens one and
 * closes it before the next test opens another. */
int kv_conformance_open(struct mirage_kv_rw **out);
/* Release the store and whatever backs it. */
void kv_conformance_close(struct mirage_kv_rw *kv);

#endif
