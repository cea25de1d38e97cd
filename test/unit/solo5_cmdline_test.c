/* Unit tests for the Solo5 command-line splitter (plat/solo5/cmdline.c). */
#include "../../plat/solo5/cmdline.h"
#include "test.h"

#define MAX 8

/* Split text (copied) into words; returns the count or the error. */
static int split(const char *text, char *buf, char **words)
{
    strcpy(buf, text);
    return solo5_cmdline_split(buf, words, MAX);
}

TEST(cmdline_empty_and_blanks)
{
    char buf[64], *w[MAX];
    CHECK_INT(split("", buf, w), 0);
    CHECK_INT(split(" \t\n ", buf, w), 0);
}

TEST(cmdline_plain_words)
{
    char buf[64], *w[MAX];
    CHECK_INT(split("  --a=1\tb  c ", buf, w), 3);
    CHECK_STR(w[0], "--a=1");
    CHECK_STR(w[1], "b");
    CHECK_STR(w[2], "c");
}

TEST(cmdline_single_quotes_are_literal)
{
    char buf[64], *w[MAX];
    CHECK_INT(split("--hello='Hello, world' 'a\\b \"c\"'", buf, w), 2);
    CHECK_STR(w[0], "--hello=Hello, world");
    CHECK_STR(w[1], "a\\b \"c\"");
}

TEST(cmdline_double_quotes_escape_four_characters)
{
    char buf[64], *w[MAX];
    CHECK_INT(split("\"a \\\" \\\\ \\$ \\` \\n\"", buf, w), 1);
    CHECK_STR(w[0], "a \" \\ $ ` \\n");
}

TEST(cmdline_backslash_outside_quotes)
{
    char buf[64], *w[MAX];
    CHECK_INT(split("a\\ b \\'c", buf, w), 2);
    CHECK_STR(w[0], "a b");
    CHECK_STR(w[1], "'c");
}

TEST(cmdline_joined_parts_and_empty_words)
{
    char buf[64], *w[MAX];
    CHECK_INT(split("a'b'\"c\"d '' \"\"", buf, w), 3);
    CHECK_STR(w[0], "abcd");
    CHECK_STR(w[1], "");
    CHECK_STR(w[2], "");
}

TEST(cmdline_errors)
{
    char buf[64], *w[MAX];
    CHECK_INT(split("a 'b", buf, w), SOLO5_CMDLINE_EQUOTE);
    CHECK_INT(split("\"b", buf, w), SOLO5_CMDLINE_EQUOTE);
    CHECK_INT(split("b\\", buf, w), SOLO5_CMDLINE_EBACKSLASH);
    CHECK_INT(split("1 2 3 4 5 6 7 8 9", buf, w), SOLO5_CMDLINE_ETOOMANY);
    CHECK_INT(split("1 2 3 4 5 6 7 8 ", buf, w), MAX);
    CHECK_STR(solo5_cmdline_strerror(SOLO5_CMDLINE_EQUOTE),
              "unterminated quote");
    CHECK_STR(solo5_cmdline_strerror(SOLO5_CMDLINE_EBACKSLASH),
              "backslash at the end");
    CHECK_STR(solo5_cmdline_strerror(SOLO5_CMDLINE_ETOOMANY),
              "too many arguments");
    CHECK_STR(solo5_cmdline_strerror(-99), "invalid");
}

int main(void)
{
    return test_main();
}
