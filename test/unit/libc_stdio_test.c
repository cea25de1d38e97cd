/* <stdio.h> of lib/rt: snprintf truncation, asprintf, the buffering of
 * stdout and stderr on the console; the fortify, stack-protector and
 * assert failure paths, and time() (lib/rt built with t_ names, see
 * libc_rename.h). */
#include "libc_t.h"
#include "test.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

TEST(snprintf_truncates_and_returns_the_full_length)
{
    char buf[16];
    memset(buf, '#', sizeof buf);
    CHECK_INT(t_snprintf(buf, 0, "hello %d", 42), 8);
    CHECK(buf[0] == '#');
    CHECK_INT(t_snprintf(NULL, 0, "%s", "abc"), 3);
    CHECK_INT(t_snprintf(buf, 1, "hello"), 5);
    CHECK_STR(buf, "");
    CHECK_INT(t_snprintf(buf, 6, "hello world"), 11);
    CHECK_STR(buf, "hello");
    CHECK(buf[6] == '#');
    CHECK_INT(t_snprintf(buf, 6, "hello"), 5);
    CHECK_STR(buf, "hello");
    CHECK_INT(t_snprintf(buf, 5, "hello"), 5);
    CHECK_STR(buf, "hell");
    CHECK_INT(t_snprintf(buf, sizeof buf, "%-5s|%05d", "ab", -3), 11);
    CHECK_STR(buf, "ab   |-0003");
    CHECK_INT(t_sprintf(buf, "%x-%c", 255, 'z'), 4);
    CHECK_STR(buf, "ff-z");
}

TEST(oversized_output_fails_with_eoverflow)
{
    char buf[8] = "keep";
    errno = 0;
    CHECK_INT(t_snprintf(buf, sizeof buf, "%2147483648d", 1), -1);
    CHECK_INT(errno, EOVERFLOW);
    CHECK_STR(buf, "");
    char *s = (char *)1;
    errno = 0;
    CHECK_INT(t_asprintf(&s, "x%2147483648d", 1), -1);
    CHECK(s == NULL);
    CHECK_INT(errno, EOVERFLOW);
    console_reset();
    errno = 0;
    CHECK_INT(t_printf("a%.2147483648d", 1), -1);
    CHECK_INT(errno, EOVERFLOW);
    t_fflush(NULL);
    CHECK_STR(console_out, "a");
}

TEST(asprintf_allocates_the_result)
{
    char *s = NULL;
    CHECK_INT(t_asprintf(&s, "%s-%05u-%p", "id", 42u, NULL), 14);
    CHECK_STR(s, "id-00042-(nil)");
    free(s);
    CHECK_INT(t_asprintf(&s, "%300d", 1), 300);
    CHECK_INT(strlen(s), 300);
    CHECK(s[299] == '1' && s[0] == ' ');
    free(s);
}

TEST(stdout_is_line_buffered)
{
    console_reset();
    CHECK_INT(t_printf("abc"), 3);
    CHECK_INT(console_writes, 0);
    CHECK_INT(t_printf("def\nghi"), 7);
    CHECK_INT(console_writes, 1);
    CHECK_STR(console_out, "abcdef\n");
    CHECK_INT(t_puts("!"), 0);
    CHECK_STR(console_out, "abcdef\nghi!\n");
    CHECK_INT(t_putchar('x'), 'x');
    CHECK_INT(t_fputc(0x1e9, t_stdout), 0xe9);
    CHECK_INT(t_fputs("yz", t_stdout), 0);
    CHECK_INT(t_fwrite("0123", 2, 2, t_stdout), 2);
    CHECK_STR(console_out, "abcdef\nghi!\n");
    rt_stdio_flush();
    CHECK_STR(console_out, "abcdef\nghi!\nx\xe9yz0123");
    /* A line longer than the buffer goes out as it fills. */
    console_reset();
    char line[1001];
    memset(line, 'l', 1000);
    line[1000] = '\0';
    t_fputs(line, t_stdout);
    CHECK(console_writes >= 3);
    CHECK(console_len < 1000);
    t_fflush(t_stdout);
    CHECK_INT(console_len, 1000);
    CHECK(!memcmp(console_out, line, 1000));
}

TEST(stderr_is_unbuffered_and_keeps_the_order)
{
    console_reset();
    t_printf("out ");
    CHECK_INT(t_fprintf(t_stderr, "err %d", 1), 5);
    CHECK_STR(console_out, "out err 1");
    t_fputc('!', t_stderr);
    CHECK_STR(console_out, "out err 1!");
    t_fflush(NULL);
}

TEST(fwrite_checks_its_sizes)
{
    console_reset();
    errno = 0;
    CHECK_INT(t_fwrite("ab", SIZE_MAX / 2, 3, t_stderr), 0);
    CHECK_INT(errno, EOVERFLOW);
    CHECK_INT(t_fwrite("ab", 0, 3, t_stderr), 0);
    CHECK_INT(t_fwrite("ab", 1, 0, t_stderr), 0);
    CHECK_INT(console_len, 0);
}

static char small[8];

static void memcpy_overflow(void)
{
    t___memcpy_chk(small, "123456789", 9, sizeof small);
}

static void memset_overflow(void)
{
    t___memset_chk(small, 0, 9, sizeof small);
}

static void strcpy_overflow(void)
{
    t___strcpy_chk(small, "12345678", sizeof small);
}

static void strcat_overflow(void)
{
    strcpy(small, "1234");
    t___strcat_chk(small, "5678", sizeof small);
}

static void memmove_overflow(void)
{
    t___memmove_chk(small, "123456789", 9, sizeof small);
}

static void strncpy_overflow(void)
{
    t___strncpy_chk(small, "1", 9, sizeof small);
}

static void sprintf_no_room(void)
{
    t___sprintf_chk(small, 1, 0, "");
}

static void snprintf_bad_size(void)
{
    t___snprintf_chk(small, 16, 1, sizeof small, "%d", 1);
}

static void sprintf_overflow(void)
{
    t___sprintf_chk(small, 1, sizeof small, "%d", 123456789);
}

TEST(fortified_calls_abort_on_overflow)
{
    static void (*const cases[])(void) = {
        memcpy_overflow, memmove_overflow,  memset_overflow,
        strcpy_overflow, strncpy_overflow,  strcat_overflow,
        sprintf_no_room, snprintf_bad_size, sprintf_overflow,
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        console_reset();
        CHECK_INT(run_stopping(cases[i]), STOP_ABORT);
        CHECK_STR(console_out, "buffer overflow detected\nabort()\n");
        CHECK(small[sizeof small - 1] != '9');
    }
}

TEST(fortified_calls_work_within_bounds)
{
    char buf[8];
    CHECK(t___memcpy_chk(buf, "1234567", 8, sizeof buf) == buf);
    CHECK_STR(buf, "1234567");
    CHECK(t___strcpy_chk(buf, "abc", sizeof buf) == buf);
    CHECK(t___strcat_chk(buf, "defg", sizeof buf) == buf);
    CHECK_STR(buf, "abcdefg");
    CHECK_INT(t___snprintf_chk(buf, sizeof buf, 1, sizeof buf, "%s", "xy"), 2);
    CHECK_STR(buf, "xy");
    CHECK_INT(t___sprintf_chk(buf, 1, sizeof buf, "%d", 1234567), 7);
    CHECK_STR(buf, "1234567");
    CHECK(t___memset_chk(buf, 'q', 8, (size_t)-1) == buf);
}

static void smashed_stack(void)
{
    t_printf("pending ");
    t___stack_chk_fail();
}

TEST(stack_smashing_is_reported_and_aborts)
{
    console_reset();
    CHECK_INT(run_stopping(smashed_stack), STOP_ABORT);
    CHECK_STR(console_out, "pending stack smashing detected\nabort()\n");
}

TEST(time_is_the_wall_clock_in_seconds)
{
    long t = 0;
    wall_clock_ns = 1700000000999999999ULL;
    CHECK_INT(t_time(NULL), 1700000000);
    CHECK_INT(t_time(&t), 1700000000);
    CHECK_INT(t, 1700000000);
}

static void failing_assert(void)
{
    t_printf("before ");
    t___assert_fail("x > 1", "app.c", 12, "start");
}

TEST(assert_failure_names_the_expression_and_aborts)
{
    console_reset();
    CHECK_INT(run_stopping(failing_assert), STOP_ABORT);
    CHECK_STR(console_out,
              "before Assertion failed: x > 1 (app.c:12: start)\nabort()\n");
}

int main(void)
{
    return test_main();
}
