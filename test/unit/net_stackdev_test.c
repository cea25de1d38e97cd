/* Tests of the direct stack devices (lib/stack): they bundle the layers
 * with new UDP and TCP devices that work (a datagram and a connection
 * between two stacks), and when memory runs out at any allocation they
 * fail with MIRAGE_ENOMEM leaving nothing behind (ASan's leak check at
 * exit). Built with malloc, calloc and realloc wrapped. */
#include "net_harness.h"

#include <mirage/stack.h>
#include <mirage/tcp.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);

/* While armed, allocation number fail_at (from 0) fails. */
static bool armed;
static long allocs, fail_at;

static bool fail_now(void)
{
    return armed && allocs++ == fail_at;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    return fail_now() ? NULL : __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

static void two_nodes(void)
{
    node_add(1500);
    node_add(1500);
}

static int udp_got;
static void on_udp(void *arg, const struct mirage_udp_peer *peer,
                   const uint8_t *data, size_t len)
{
    (void)arg, (void)peer;
    if (len == 5 && memcmp(data, "hello", 5) == 0)
        udp_got++;
}

static int tcp_reply(void *arg, struct mirage_tcp_flow *flow)
{
    (void)arg;
    mirage_tcp_write(flow, "tcp!", 4, MIRAGE_FOREVER);
    mirage_tcp_close(flow);
    return 0;
}

static int stacks_body(void)
{
    NCHECK_INT(node_connect_ip(0, "10.0.0.2/24", NULL), 0);
    NCHECK_INT(node_connect_ip(1, "10.0.0.3/24", NULL), 0);
    struct node *a = node_get(0), *b = node_get(1);
    struct mirage_stack *sa;
    struct mirage_stack *sb;
    NCHECK_INT(mirage_stack_connect_direct(&sa, a->net, a->eth, a->arp, a->v4,
                                           NULL, net_random),
               0);
    NCHECK_INT(mirage_stack_connect_direct(&sb, b->net, b->eth, b->arp, b->v4,
                                           NULL, net_random),
               0);
    NCHECK(sa->net == a->net && sa->ethernet == a->eth && sa->arp == a->arp &&
           sa->ipv4 == a->v4 && sa->ip == a->ip);
    NCHECK(sb->ip == b->ip && sb->udp && sb->tcp);
    udp_got = 0;
    NCHECK_INT(mirage_udp_listen(sb->udp, 9, on_udp, NULL, NULL), 0);
    NCHECK_INT(mirage_tcp_listen(sb->tcp, 80, NULL, tcp_reply, NULL), 0);
    struct mirage_ipaddr bip = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 3));
    NCHECK_INT(mirage_udp_write(sa->udp, NULL, 0, &bip, 9, "hello", 5), 0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(sa->tcp, &bip, 80,
                                  mirage_now() + MIRAGE_SEC(10), &f),
               0);
    char buf[8];
    long n = mirage_tcp_read(f, buf, sizeof buf, mirage_now() + MIRAGE_SEC(10));
    NCHECK_INT(n, 4);
    NCHECK(memcmp(buf, "tcp!", 4) == 0);
    NCHECK_INT(
        mirage_tcp_read(f, buf, sizeof buf, mirage_now() + MIRAGE_SEC(10)), 0);
    mirage_tcp_close(f);
    NCHECK_INT(udp_got, 1);
    /* Let both ends finish closing (TIME_WAIT included) before they go. */
    net_wait(MIRAGE_SEC(300));
    mirage_stack_disconnect_direct(sa);
    mirage_stack_disconnect_direct(sb);
    net_wait(MIRAGE_MSEC(1));
    return 0;
}

TEST(direct_stacks_carry_udp_and_tcp)
{
    net_run(1, two_nodes, stacks_body);
}

static bool failed_one;

static int oom_body(void)
{
    NCHECK_INT(node_connect_ip(0, "10.0.0.2/24", NULL), 0);
    struct node *a = node_get(0);
    allocs = 0;
    armed = true;
    struct mirage_stack *s4 = NULL;
    struct mirage_stack *s46 = NULL;
    int e4 = mirage_stack_connect_direct(&s4, a->net, a->eth, a->arp, a->v4,
                                         NULL, net_random);
    int e46 = e4 ? 0
                 : mirage_stack_connect_direct(&s46, a->net, a->eth, a->arp,
                                               a->v4, NULL, net_random);
    armed = false;
    failed_one = allocs > fail_at;
    NCHECK(e4 == 0 || e4 == MIRAGE_ENOMEM);
    NCHECK(e46 == 0 || e46 == MIRAGE_ENOMEM);
    if (s4)
        mirage_stack_disconnect_direct(s4);
    if (s46)
        mirage_stack_disconnect_direct(s46);
    net_wait(MIRAGE_MSEC(1));
    return 0;
}

TEST(direct_stacks_survive_allocation_failures)
{
    int runs = 0;
    for (long k = 0;; k++) {
        fail_at = k;
        net_run((uint64_t)k + 1, two_nodes, oom_body);
        if (test_failed_here)
            return;
        runs++;
        if (!failed_one)
            break;
    }
    CHECK(runs > 4);
}

int main(void)
{
    return test_main();
}
