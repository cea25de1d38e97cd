/* http-fetch: one GET of --uri with the cohttp_client device, following
 * redirects, then the response on the log: its status, each header
 * field, and how many bytes its body had. Exits 0 after a response
 * (whatever its status), 1 when none came. */
#include <mirage/error.h>
#include <mirage/http.h>
#include <mirage/log.h>

int http_fetch_start(struct mirage_http_client *client)
{
    const char *uri = mirage_arg_uri();
    struct mirage_http_response *r;
    int err = mirage_http_get(client, uri, &r);
    if (err) {
        mirage_log_err("cannot fetch %s: %s", uri, mirage_strerror(err));
        return 1;
    }
    mirage_log_info("%s: HTTP/1.%u %d %s (%u redirects)", r->url,
                    r->version % 10, r->status, r->reason, r->redirects);
    for (size_t i = 0; i < r->header_count; i++)
        mirage_log_info("header %s: %s", r->headers[i].name,
                        r->headers[i].value);
    static char buf[16384];
    uint64_t total = 0;
    long n;
    while ((n = mirage_http_response_read(r, buf, sizeof buf)) > 0)
        total += (uint64_t)n;
    mirage_http_response_free(r);
    if (n < 0) {
        mirage_log_err("body cut after %llu bytes: %s",
                       (unsigned long long)total, mirage_strerror((int)n));
        return 1;
    }
    mirage_log_info("body %llu bytes", (unsigned long long)total);
    return 0;
}
