/* URLs for the client (url.h). */
#include "url.h"

#include "parse.h"

#include <mirage/error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int http_url_parse(const char *s, struct http_url *u)
{
    size_t len = strlen(s);
    if (len > HTTP_URL_MAX)
        return MIRAGE_ERANGE;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
            return MIRAGE_EINVAL;
    memcpy(u->text, s, len + 1);
    const char *p = strstr(u->text, "://");
    if (!p)
        return MIRAGE_EINVAL;
    size_t slen = (size_t)(p - u->text);
    if (http_token_eq(u->text, slen, "http"))
        u->tls = false;
    else if (http_token_eq(u->text, slen, "https"))
        u->tls = true;
    else
        return MIRAGE_ENOTSUP;
    p += 3;
    const char *end = p + strcspn(p, "/?#");
    const char *at = memchr(p, '@', (size_t)(end - p));
    if (at)
        return MIRAGE_EINVAL; /* user information is not sent */
    const char *host = p, *host_end, *colon;
    if (*p == '[') {
        host = p + 1;
        host_end = memchr(p, ']', (size_t)(end - p));
        if (!host_end)
            return MIRAGE_EINVAL;
        colon = host_end + 1 < end && host_end[1] == ':' ? host_end + 1 : NULL;
        if (!colon && host_end + 1 != end)
            return MIRAGE_EINVAL;
    } else {
        colon = memchr(p, ':', (size_t)(end - p));
        host_end = colon ? colon : end;
    }
    size_t hlen = (size_t)(host_end - host);
    if (hlen == 0 || hlen > HTTP_HOST_MAX)
        return hlen ? MIRAGE_ERANGE : MIRAGE_EINVAL;
    memcpy(u->host, host, hlen);
    u->host[hlen] = '\0';
    u->default_port = !colon || colon + 1 == end;
    u->port = u->tls ? 443 : 80;
    if (!u->default_port) {
        unsigned long port = 0;
        for (const char *d = colon + 1; d < end; d++) {
            if (*d < '0' || *d > '9' ||
                (port = port * 10 + (unsigned)(*d - '0')) > 65535)
                return MIRAGE_EINVAL;
        }
        if (port == 0)
            return MIRAGE_EINVAL;
        u->port = (uint16_t)port;
    }
    /* The target: path and query, without a fragment. */
    char *frag = strchr(u->text, '#');
    if (frag)
        *frag = '\0';
    if (*end == '/') {
        u->target = (size_t)(end - u->text);
    } else {
        /* "/" first: move the query one byte along. */
        size_t q = strlen(end);
        if (len + 2 > HTTP_URL_MAX)
            return MIRAGE_ERANGE;
        char *e = (char *)end;
        memmove(e + 1, e, q + 1);
        *e = '/';
        u->target = (size_t)(e - u->text);
    }
    return 0;
}

/* RFC 3986 §5.2.4: remove "." and ".." segments from the path that
 * starts at p (up to a '?'), in place. */
static void remove_dots(char *p)
{
    char *query = p + strcspn(p, "?");
    char *out = p, *in = p;
    while (in < query) {
        char *seg = in + 1; /* in points at a '/' */
        size_t len = strcspn(seg, "/?");
        bool last = seg + len >= query;
        if (len == 1 && seg[0] == '.') {
            in = seg + 1;
            if (last)
                *out++ = '/';
        } else if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (out > p && *--out != '/')
                ;
            in = seg + 2;
            if (last)
                *out++ = '/';
        } else {
            memmove(out, in, len + 1);
            out += len + 1;
            in = seg + len;
        }
    }
    memmove(out, query, strlen(query) + 1);
}

int http_url_resolve(const struct http_url *base, const char *ref,
                     struct http_url *out)
{
    static char buf[HTTP_URL_MAX * 2 + 16];
    if (strstr(ref, "://") &&
        strcspn(ref, ":") < strcspn(ref, "/?#")) /* absolute */
        return http_url_parse(ref, out);
    char origin[HTTP_HOST_MAX + 32];
    bool v6 = strchr(base->host, ':') != NULL;
    snprintf(origin, sizeof origin, "%s://%s%s%s", base->tls ? "https" : "http",
             v6 ? "[" : "", base->host, v6 ? "]" : "");
    if (ref[0] == '/' && ref[1] == '/') { /* network-path */
        snprintf(buf, sizeof buf, "%s:%s", base->tls ? "https" : "http", ref);
        return http_url_parse(buf, out);
    }
    char port[8] = "";
    if (!base->default_port)
        snprintf(port, sizeof port, ":%u", base->port);
    if (ref[0] == '/') {
        snprintf(buf, sizeof buf, "%s%s%s", origin, port, ref);
    } else {
        /* relative-path: against the base's directory; a query-only or
         * empty reference keeps the whole path */
        const char *target = base->text + base->target;
        size_t dir = strcspn(target, "?");
        if (ref[0] != '?' && ref[0] != '\0')
            while (dir > 0 && target[dir - 1] != '/')
                dir--;
        snprintf(buf, sizeof buf, "%s%s%.*s%s", origin, port, (int)dir, target,
                 ref);
    }
    int err = http_url_parse(buf, out);
    if (!err)
        remove_dots(out->text + out->target);
    return err;
}
