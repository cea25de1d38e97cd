/* libFuzzer target: the DNS message reader (lib/dns/wire.c, answer.c,
 * cache.c) on arbitrary answers. Each input is checked against a fixed
 * question and against its own, read for that question (names with
 * compression, every record type, CNAME chains, negative TTLs), and what
 * it yields is packed, cached and copied. Any verdict is fine; a crash, a
 * hang, a leak or a sanitizer report is a bug. */
#include "../lib/dns/dns.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_for(const uint8_t *data, size_t size, const struct dns_name *q,
                     uint16_t type)
{
    struct dns_builder b;
    struct dns_result res;
    dns_builder_init(&b);
    (void)dns_answers_question(data, size, 7, q, type);
    if (dns_extract(data, size, q, type, MIRAGE_DNS_MAX_CNAMES, &b, &res)) {
        dns_builder_free(&b);
        return;
    }
    if (res.verdict > DNS_MALFORMED || res.cnames > MIRAGE_DNS_MAX_CNAMES ||
        (res.verdict == DNS_ANSWER && res.ttl > DNS_TTL_MAX))
        abort();
    char canonical[DNS_NAME_TEXT_CAP];
    dns_name_to_text(&res.canonical, canonical);
    struct mirage_dns_answer *a =
        dns_builder_finish(&b, "question", canonical, type);
    if (!a)
        return;
    size_t total = 0;
    for (size_t i = 0; i < a->count; i++) {
        const struct mirage_dns_rr *r = &a->rr[i];
        total += strlen(r->name) + (r->target ? strlen(r->target) : 0) +
                 (r->data ? r->len : 0);
        if (r->data && r->data[r->len] != 0)
            abort();
    }
    if (total > 64 * size + 4096)
        abort();
    struct dns_cache *c = dns_cache_new(4, 1 << 20);
    if (c) {
        struct mirage_dns_answer *got = NULL;
        dns_cache_put(c, q, type, DNS_ANSWER, a, res.ttl, 0);
        if (dns_cache_get(c, q, type, 1, "question", &got) == DNS_ANSWER)
            mirage_dns_answer_free(got);
        dns_cache_free(c);
    }
    mirage_dns_answer_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dns_name q;
    dns_name_from_text("example.org", &q);
    read_for(data, size, &q, MIRAGE_DNS_A);
    uint16_t type, cls;
    size_t off = DNS_HDR_LEN;
    if (size >= DNS_HDR_LEN &&
        dns_question_read(data, size, &off, &q, &type, &cls) == 0)
        read_for(data, size, &q, type);
    /* Every offset as the start of a name. */
    for (size_t i = 0; i < size && i < 512; i++) {
        struct dns_name n;
        size_t o = i;
        if (dns_name_read(data, size, &o, &n) == 0 &&
            (o <= i || o > size || n.len > DNS_NAME_MAX))
            abort();
    }
    return 0;
}
