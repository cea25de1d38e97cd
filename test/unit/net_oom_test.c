/* The network stack when memory runs out: a scenario (connecting two
 * stacks, UDP both ways with fragments, ping, ARP for an absent host, a
 * reassembly, a port unreachable, timers firing) is run again and again,
 * the k-th allocation failing in run k, until a run needs fewer than k.
 * Every run must end cleanly: calls fail with MIRAGE_ENOMEM (or a
 * consequence of a lost packet), nothing crashes, and ASan's leak check
 * at exit finds nothing. And over a long run the number of live blocks
 * stays flat. Built with malloc, calloc, realloc and free wrapped. */
#include "net_harness.h"

#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);

static bool injecting;
static long allocs, fail_at;
static bool failed_one;
/* Blocks allocated and not freed, through the wrapped calls; blocks
 * allocated in all. */
static long live, made;

static bool fail_now(void)
{
    if (!injecting)
        return false;
    if (allocs++ != fail_at)
        return false;
    failed_one = true;
    return true;
}

void *__wrap_malloc(size_t n)
{
    void *p = fail_now() ? NULL : __real_malloc(n);
    live += p != NULL;
    made += p != NULL;
    return p;
}

void *__wrap_calloc(size_t n, size_t m)
{
    void *p = fail_now() ? NULL : __real_calloc(n, m);
    live += p != NULL;
    made += p != NULL;
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    void *q = fail_now() ? NULL : __real_realloc(p, n);
    live += !p && q;
    made += q != NULL;
    return q;
}

void __wrap_free(void *p)
{
    live -= p != NULL;
    __real_free(p);
}

static void two_nodes(void)
{
    node_add(1500);
    node_add(1500);
}

static int received;
static void on_udp(void *arg, const struct mirage_udp_peer *peer,
                   const uint8_t *data, size_t len)
{
    (void)arg, (void)peer, (void)data, (void)len;
    received++;
}

/* An error code the scenario may see. */
static bool acceptable(int err)
{
    return err == 0 || err == MIRAGE_ENOMEM || err == MIRAGE_EUNREACH;
}

#define TRY(call)                                                              \
    do {                                                                       \
        int err_ = (call);                                                     \
        if (!acceptable(err_)) {                                               \
            test_fail(__FILE__, __LINE__, "%s: %s (allocation %ld failed)",    \
                      #call, mirage_strerror(err_), fail_at);                  \
            return 1;                                                          \
        }                                                                      \
        if (err_)                                                              \
            goto out;                                                          \
    } while (0)

static int scenario(void)
{
    allocs = 0;
    injecting = true;
    TRY(node_connect(0, "10.0.0.2/24", NULL));
    TRY(node_connect(1, "10.0.0.3/24", NULL));
    struct node *a = node_get(0), *b = node_get(1);
    TRY(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL));
    TRY(mirage_udp_listen(a->udp, 9, on_udp, NULL, NULL));
    struct mirage_ipaddr aip = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 2));
    struct mirage_ipaddr bip = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 3));
    struct mirage_ipaddr absent =
        mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 50));
    static uint8_t data[3000];
    /* Errors here are lost datagrams, which the scenario tolerates. */
    mirage_udp_write(a->udp, NULL, 9, &bip, 9, data, 100);
    mirage_udp_write(a->udp, NULL, 9, &bip, 9, data, sizeof data);
    mirage_udp_write(a->udp, NULL, 9, &bip, 10, data, 10);
    mirage_udp_write(a->udp, NULL, 9, &absent, 9, data, 10);
    struct mirage_buf *m = mirage_buf_alloc(8);
    if (m) {
        memset(m->data, 0, 8);
        m->data[0] = 8;
        mirage_put_be16(m->data + 2,
                        mirage_csum_fold(mirage_csum_add(0, m->data, 8)));
        mirage_ip_write(a->ip, NULL, &bip, MIRAGE_IP_PROTO_ICMP, m);
    }
    net_wait(MIRAGE_MSEC(10));
    mirage_udp_write(b->udp, NULL, 9, &aip, 9, data, sizeof data);
    uint8_t mac[6];
    int err = mirage_arp_query(a->arp, MIRAGE_IPV4(10, 0, 0, 51), mac,
                               mirage_now() + MIRAGE_SEC(10));
    if (!acceptable(err))
        TRY(err);
    net_wait(MIRAGE_SEC(5));
out:
    injecting = false;
    return 0;
}

TEST(every_allocation_failure_is_survived)
{
    long runs = 0;
    for (fail_at = 0;; fail_at++) {
        failed_one = false;
        received = 0;
        net_run((uint64_t)fail_at + 1, two_nodes, scenario);
        if (test_failed_here)
            return;
        runs++;
        if (!failed_one)
            break;
    }
    /* The last run had no failure: everything arrived. */
    CHECK_INT(received, 3);
    CHECK(runs > 20);
}

/* 100,000 datagrams (one in ten fragmented, one in ten to a closed port,
 * one in a hundred to an absent host) over ten simulated minutes, with
 * ARP entries expiring and being confirmed: once things settle, the live
 * blocks are as many as before. */
static int flat_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *a = node_get(0), *b = node_get(1);
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    struct mirage_ipaddr bip = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 3));
    struct mirage_ipaddr absent =
        mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 50));
    static uint8_t data[3000];
    long before = 0;
    for (int i = 0; i < 100000; i++) {
        if (i == 1000) {
            net_wait(MIRAGE_SEC(70));
            before = live;
        }
        if (i % 100 == 99)
            mirage_udp_write(a->udp, NULL, 9, &absent, 9, data, 10);
        else
            mirage_udp_write(a->udp, NULL, 9, &bip, i % 10 == 1 ? 10 : 9, data,
                             i % 10 == 0 ? sizeof data : 100);
        net_wait(MIRAGE_MSEC(6));
    }
    net_wait(MIRAGE_SEC(70));
    NCHECK(received > 80000);
    NCHECK_INT(live, before);
    return 0;
}

TEST(memory_stays_flat)
{
    received = 0;
    net_run(99, two_nodes, flat_body);
}

/* Answering pings allocates nothing once the first has made the netif's
 * spare receive buffer: the request's buffer is kept and answered in
 * place, and becomes the spare again once written. Per ping, what is
 * left is the request node 0 builds (send_echo) and the test network's
 * copies of the two frames in flight. */
static int ping_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *a = node_get(0), *b = node_get(1);
    struct mirage_ipaddr bip = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 3));
    for (int i = 0; i < 2; i++) { /* ARP, and the spare made */
        NCHECK_INT(send_echo(a, &bip, i), 0);
        net_wait(MIRAGE_MSEC(1));
    }
    long before = made;
    for (int i = 0; i < 50; i++) {
        NCHECK_INT(send_echo(a, &bip, i), 0);
        net_wait(MIRAGE_MSEC(1));
    }
    NCHECK_INT(mirage_ipv4_icmp_stats(a->v4)->rx_echo_replies, 52);
    NCHECK_INT(mirage_ipv4_icmp_stats(b->v4)->tx_echo_replies, 52);
    NCHECK_INT(made - before, 50 * 3);
    return 0;
}

TEST(ping_answered_without_allocating)
{
    net_run(7, two_nodes, ping_body);
}

int main(void)
{
    return test_main();
}
