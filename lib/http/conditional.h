/* Conditional and range requests (RFC 9110 §13, §14) for the static
 * handler: entity-tag comparison over If-None-Match / If-Match lists,
 * dates, If-Range, and Range headers of one byte range. Internal to
 * lib/http. */
#ifndef MIRAGE_HTTP_CONDITIONAL_H
#define MIRAGE_HTTP_CONDITIONAL_H

#include <stdbool.h>
#include <stdint.h>

/* Whether the list (an If-None-Match or If-Match value) holds "*" or a
 * tag equal to etag (a quoted, strong tag): weakly (a W/ prefix on
 * either side ignored) or strongly (a weak tag never matches). */
bool http_etag_match(const char *list, const char *etag, bool weak);

enum http_range { RANGE_NONE, RANGE_ONE, RANGE_UNSATISFIABLE };
/* A Range value for a representation of `size` bytes: RANGE_ONE with
 * [*first, *first + *len) for one satisfiable byte range;
 * RANGE_UNSATISFIABLE when it is a single byte range past the end;
 * RANGE_NONE when it is to be ignored (another unit, several ranges,
 * malformed: the whole representation is sent). */
enum http_range http_range_parse(const char *value, uint64_t size,
                                 uint64_t *first, uint64_t *len);

/* Whether an If-Range value allows the range: an entity tag equal
 * (strongly) to etag, or a date equal to last_modified (seconds). */
bool http_if_range(const char *value, const char *etag, uint64_t last_modified);

#endif
