/* URLs for the HTTP client: "http[s]://host[:port][/path][?query]" split
 * into its parts, and a redirect's Location resolved against the URL it
 * came from (RFC 3986 §5.2, for the absolute, network-path, absolute-path
 * and relative-path references a server sends). Internal to lib/http. */
#ifndef MIRAGE_HTTP_URL_H
#define MIRAGE_HTTP_URL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_URL_MAX  8192
#define HTTP_HOST_MAX 255

struct http_url {
    bool tls;
    char host[HTTP_HOST_MAX + 1]; /* without the brackets of an IPv6 one */
    uint16_t port;
    bool default_port;
    size_t target; /* path and query ("/" at least) at text + target */
    char text[HTTP_URL_MAX + 1]; /* the whole URL */
};

/* Parse s: 0, MIRAGE_EINVAL (malformed, control characters or spaces),
 * MIRAGE_ENOTSUP (another scheme), MIRAGE_ERANGE (too long). */
int http_url_parse(const char *s, struct http_url *u);
/* Resolve the reference ref (a Location value) against base into out:
 * 0 or http_url_parse's errors. */
int http_url_resolve(const struct http_url *base, const char *ref,
                     struct http_url *out);

#endif
