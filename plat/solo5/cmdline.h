/* Splitting a Solo5 command line (the image's arguments as the tender
 * joined them with spaces) into words with shell-like quoting, so that
 * `--hello='Hello, world'` arrives as one argument. Shared by the
 * Solo5-style targets; pure, no allocation, hosted-testable. */
#ifndef MIRAGE_PLAT_SOLO5_CMDLINE_H
#define MIRAGE_PLAT_SOLO5_CMDLINE_H

#include <stddef.h>

/* Errors of solo5_cmdline_split (negative results). */
enum solo5_cmdline_error {
    SOLO5_CMDLINE_EQUOTE = -1,     /* a quote is not closed */
    SOLO5_CMDLINE_EBACKSLASH = -2, /* the line ends with a lone backslash */
    SOLO5_CMDLINE_ETOOMANY = -3,   /* more than max_words words */
};

/* Split the NUL-terminated string s in place into at most max_words words
 * and store pointers to them (into s) in words[0..n-1]. The rules:
 * - blanks (space, tab, newline) outside quotes separate words;
 * - '...' keeps everything up to the next ' literally;
 * - "..." keeps everything literally except that a backslash before
 *   ", \, $ or ` stands for that character;
 * - outside quotes a backslash makes the next character literal;
 * - quotes may join parts of one word (a'b'"c" is abc), and '' or "" is
 *   an empty word.
 * Returns the number of words, or a negative enum solo5_cmdline_error;
 * on error s has been partly rewritten and words[] is unspecified. */
int solo5_cmdline_split(char *s, char **words, int max_words);

/* A one-line description of a negative result of solo5_cmdline_split. */
const char *solo5_cmdline_strerror(int error);

#endif
