/* The shared min-heap (lib/rt/minheap.c): random pushes, re-keys and
 * removals against a plain model, first-in first-out among equal keys,
 * growth and its failure, pushing beyond the reserved room. Hosted, with
 * allocations that can be made to fail. */
#include "alloc_fail.h"
#include "test.h"

#include <mirage/error.h>
#include <mirage/minheap.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

TEST(random_operations_match_a_model)
{
    enum { N = 3000, OPS = 200000 };
    static struct mirage_minheap_node nodes[N];
    static bool in[N];
    struct mirage_minheap h;
    mirage_minheap_init(&h);
    for (int i = 0; i < N; i++)
        mirage_minheap_node_init(&nodes[i]);
    size_t len = 0;
    for (int op = 0; op < OPS; op++) {
        int i = (int)(rng() % N);
        uint64_t key = rng() % 1000; /* many equal keys */
        switch (rng() % 4) {
        case 0: /* add, or re-key when queued */
            CHECK_INT(mirage_minheap_add(&h, &nodes[i], key), 0);
            len += !in[i];
            in[i] = true;
            break;
        case 1:
            mirage_minheap_remove(&h, &nodes[i]);
            len -= in[i];
            in[i] = false;
            break;
        case 2: {
            /* The least key of the model comes out. */
            struct mirage_minheap_node *n = mirage_minheap_pop(&h);
            uint64_t least = UINT64_MAX;
            for (int k = 0; k < N; k++)
                if (in[k] && nodes[k].key < least)
                    least = nodes[k].key;
            if (!n) {
                CHECK_INT(len, 0);
                break;
            }
            CHECK_INT(n->key, least);
            CHECK(!mirage_minheap_queued(n));
            in[n - nodes] = false;
            len--;
            break;
        }
        default:
            if (!in[i] && mirage_minheap_reserve(&h, len + 1) == 0) {
                mirage_minheap_push(&h, &nodes[i], key);
                in[i] = true;
                len++;
            }
            break;
        }
        CHECK_INT(mirage_minheap_len(&h), len);
        CHECK_INT(mirage_minheap_queued(&nodes[i]), in[i]);
        if (op % 1000 == 0)
            CHECK(mirage_minheap_valid(&h));
    }
    CHECK(mirage_minheap_valid(&h));
    mirage_minheap_free(&h);
    CHECK(mirage_minheap_peek(&h) == NULL);
}

TEST(equal_keys_leave_in_queued_order)
{
    enum { N = 500 };
    static struct mirage_minheap_node nodes[N];
    struct mirage_minheap h;
    mirage_minheap_init(&h);
    for (int i = 0; i < N; i++) {
        mirage_minheap_node_init(&nodes[i]);
        CHECK_INT(mirage_minheap_add(&h, &nodes[i], (uint64_t)(i % 7)), 0);
    }
    /* Re-keying moves a node behind those already at its new key. */
    CHECK_INT(mirage_minheap_add(&h, &nodes[0], 3), 0);
    struct mirage_minheap_node *prev = NULL, *n;
    int popped = 0;
    bool first_out = false;
    while ((n = mirage_minheap_pop(&h))) {
        if (prev) {
            CHECK(prev->key <= n->key);
            if (prev->key == n->key)
                CHECK(prev->seq < n->seq);
        }
        CHECK(!(first_out && n->key == 3)); /* nodes[0] was the last 3 */
        first_out |= n == &nodes[0];
        prev = n;
        popped++;
    }
    CHECK(first_out);
    CHECK_INT(popped, N);
    mirage_minheap_free(&h);
}

TEST(growth_failure_changes_nothing)
{
    struct mirage_minheap_node a, b, c;
    struct mirage_minheap h;
    mirage_minheap_init(&h);
    mirage_minheap_node_init(&a);
    mirage_minheap_node_init(&b);
    mirage_minheap_node_init(&c);
    allocs_left = 0;
    CHECK_INT(mirage_minheap_add(&h, &a, 5), MIRAGE_ENOMEM);
    allocs_left = -1;
    CHECK(!mirage_minheap_queued(&a));
    CHECK_INT(mirage_minheap_len(&h), 0);
    CHECK_INT(mirage_minheap_reserve(&h, 2), 0);
    mirage_minheap_push(&h, &a, 5);
    mirage_minheap_remove(&h, &b); /* idle: nothing happens */
    CHECK_INT(mirage_minheap_len(&h), 1);
    /* A full heap that cannot grow: add fails, re-keying does not. */
    size_t cap = h.cap;
    for (size_t k = 1; k < cap; k++) {
        static struct mirage_minheap_node more[64];
        mirage_minheap_node_init(&more[k]);
        mirage_minheap_push(&h, &more[k], 9);
    }
    allocs_left = 0;
    CHECK_INT(mirage_minheap_add(&h, &c, 1), MIRAGE_ENOMEM);
    CHECK_INT(mirage_minheap_reserve(&h, cap + 1), MIRAGE_ENOMEM);
    CHECK_INT(mirage_minheap_add(&h, &a, 1), 0);
    allocs_left = -1;
    CHECK(!mirage_minheap_queued(&c));
    CHECK(mirage_minheap_peek(&h) == &a);
    CHECK(mirage_minheap_valid(&h));
    mirage_minheap_free(&h);
}

static void push_beyond_room(void)
{
    struct mirage_minheap_node a, b;
    struct mirage_minheap h;
    mirage_minheap_init(&h);
    mirage_minheap_node_init(&a);
    mirage_minheap_node_init(&b);
    if (mirage_minheap_reserve(&h, 1) != 0)
        exit(1);
    h.cap = 1; /* exactly the room reserved */
    mirage_minheap_push(&h, &a, 1);
    mirage_minheap_push(&h, &b, 2);
    exit(0);
}

TEST(pushing_beyond_the_reserved_room_stops)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(2); /* the assertion's message */
        push_beyond_room();
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

TEST(validity_check_finds_damage)
{
    struct mirage_minheap_node n[3];
    struct mirage_minheap h;
    mirage_minheap_init(&h);
    for (int i = 0; i < 3; i++) {
        mirage_minheap_node_init(&n[i]);
        CHECK_INT(mirage_minheap_add(&h, &n[i], (uint64_t)i), 0);
    }
    CHECK(mirage_minheap_valid(&h));
    n[2].slot = 1;
    CHECK(!mirage_minheap_valid(&h));
    n[2].slot = 2;
    CHECK(mirage_minheap_valid(&h));
    n[0].key = 10; /* the root after its children */
    CHECK(!mirage_minheap_valid(&h));
    mirage_minheap_free(&h);
}

int main(void)
{
    return test_main();
}
