/* What the hosted test platforms (fake_plat.c, testnet_plat.c) share,
 * besides the plat.h functions host_plat.c defines for both (no block
 * devices: every plat_block_* call gives PLAT_EINVAL) and rt_vformat (over
 * the host's vasprintf): a growing text buffer for captured console
 * output. */
#ifndef TEST_HOST_PLAT_H
#define TEST_HOST_PLAT_H

#include <stdbool.h>
#include <stddef.h>

/* Text kept NUL-terminated in a malloc'd buffer; zero-initialised it is
 * empty. The buffer is never freed (it lives as long as the test). */
struct host_text {
    char *buf;
    size_t len, cap;
};

/* Appends len bytes of s; false, leaving t as it was, when memory is
 * exhausted. */
bool host_text_append(struct host_text *t, const char *s, size_t len);

/* Empties t. */
void host_text_clear(struct host_text *t);

/* t's text ("" when nothing was ever kept). */
const char *host_text_get(const struct host_text *t);

/* Stack guards: plat_stack_guard protects nothing here; it fails
 * (PLAT_EUNSPEC, as a platform without guard pages does) unless
 * host_guards is set, and then records each page in host_guarded while
 * it is guarded (up to HOST_GUARDS_MAX), so that tests can check what the
 * runtime asked for. */
#define HOST_GUARDS_MAX 16
extern bool host_guards;
extern void *host_guarded[HOST_GUARDS_MAX];

#endif
