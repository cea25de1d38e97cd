/* A strict DER reader (X.690) for X.509 certificates and private keys:
 * single-byte tags, definite minimal lengths, on the byte readers of
 * codec.h. Nothing allocates. */
#ifndef MIRAGE_TLS_DER_H
#define MIRAGE_TLS_DER_H

#include "codec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    DER_BOOLEAN = 0x01,
    DER_INTEGER = 0x02,
    DER_BIT_STRING = 0x03,
    DER_OCTET_STRING = 0x04,
    DER_NULL = 0x05,
    DER_OID = 0x06,
    DER_UTF8_STRING = 0x0c,
    DER_PRINTABLE_STRING = 0x13,
    DER_IA5_STRING = 0x16,
    DER_UTC_TIME = 0x17,
    DER_GENERALIZED_TIME = 0x18,
    DER_SEQUENCE = 0x30,
    DER_SET = 0x31,
};
/* Context-specific tags: [n] primitive and constructed. */
#define DER_CTX(n)  (0x80 | (n))
#define DER_CTXC(n) (0xa0 | (n))

/* One element: its tag, its contents, and the whole encoding. */
struct der_elem {
    uint8_t tag;
    struct rd body;
    const uint8_t *raw;
    size_t raw_len;
};
/* Read the next element; false (the reader failed) when malformed. */
bool der_next(struct rd *r, struct der_elem *e);
/* Read the next element, which must have this tag. */
bool der_expect(struct rd *r, uint8_t tag, struct der_elem *e);
/* The tag of the next element, 0 at the end. */
uint8_t der_peek(const struct rd *r);
/* Whether an element's contents are exactly this OID (encoded bytes). */
bool der_oid_is(const struct der_elem *e, const uint8_t *oid, size_t len);
#define DER_OID_IS(e, lit)                                                     \
    der_oid_is((e), (const uint8_t *)(lit), sizeof(lit) - 1)
/* A non-negative INTEGER's magnitude without leading zeros (at least one
 * byte); false for negative or non-minimal encodings. */
bool der_uint(const struct der_elem *e, const uint8_t **p, size_t *len);
/* A small non-negative INTEGER. */
bool der_small_uint(const struct der_elem *e, uint32_t *v);
/* A BIT STRING with no unused bits: its bytes. */
bool der_bits(const struct der_elem *e, const uint8_t **p, size_t *len);
/* UTCTime or GeneralizedTime in the forms RFC 5280 §4.1.2.5 allows
 * (Zulu, seconds, no fraction): seconds since the Unix epoch. */
bool der_time(const struct der_elem *e, int64_t *secs);

#endif
