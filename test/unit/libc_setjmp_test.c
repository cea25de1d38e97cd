/* setjmp and longjmp (lib/rt/setjmp.S), hosted under the names t_setjmp
 * and t_longjmp: return values, jumps out of nested calls, and the
 * callee-saved registers and stack they restore. */
#include "test.h"

typedef long t_jmp_buf[8];
__attribute__((returns_twice)) int t_setjmp(t_jmp_buf env);
_Noreturn void t_longjmp(t_jmp_buf env, int val);

static t_jmp_buf env;
static int depth_reached;

static void dive(int depth, int val)
{
    volatile char frame[64];
    frame[0] = (char)depth;
    if (depth > 0) {
        dive(depth - 1, val);
        frame[1] = 0; /* keeps the recursion from being a tail call */
    } else if (depth == 0) {
        depth_reached = frame[0] + 1;
        t_longjmp(env, val);
    }
}

TEST(setjmp_returns_zero_then_the_longjmp_value)
{
    volatile int calls = 0;
    int r = t_setjmp(env);
    calls++;
    if (calls == 1) {
        CHECK_INT(r, 0);
        dive(100, 42);
    }
    CHECK_INT(calls, 2);
    CHECK_INT(r, 42);
    CHECK_INT(depth_reached, 1);
}

TEST(longjmp_with_zero_returns_one)
{
    volatile int calls = 0;
    int r = t_setjmp(env);
    if (++calls == 1)
        dive(3, 0);
    CHECK_INT(r, 1);
    CHECK_INT(calls, 2);
}

/* Values kept in callee-saved registers across the jump. */
static __attribute__((noinline)) long work(long a, long b, long c, long d,
                                           long e, long f)
{
    volatile long sum = 0;
    for (volatile int round = 0; round < 3; round++) {
        if (t_setjmp(env) == 0)
            dive(round + 1, round + 7);
        sum += a * 1 + b * 2 + c * 3 + d * 4 + e * 5 + f * 6;
    }
    return sum;
}

TEST(callee_saved_registers_and_stack_survive)
{
    CHECK_INT(work(1, 2, 3, 4, 5, 6), 3 * 91);
    char here;
    /* The stack pointer came back: locals are where they were. */
    volatile char *p = &here;
    *p = 'x';
    CHECK(here == 'x');
}

int main(void)
{
    return test_main();
}
