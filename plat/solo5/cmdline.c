/* Shell-like splitting of the Solo5 command line (see cmdline.h). */
#include "cmdline.h"

#include <stdbool.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static bool escapable_in_double_quotes(char c)
{
    return c == '"' || c == '\\' || c == '$' || c == '`';
}

/* Copies one word starting at *rp to *wp (which never overtakes *rp, since
 * unquoting only removes characters), stopping at a blank outside quotes
 * or at the end. Returns 0 or a negative solo5_cmdline_error. */
static int take_word(char **rp, char **wp)
{
    char *r = *rp, *w = *wp;
    while (*r != '\0' && !is_blank(*r)) {
        char c = *r++;
        if (c == '\'') {
            while (*r != '\'') {
                if (*r == '\0')
                    return SOLO5_CMDLINE_EQUOTE;
                *w++ = *r++;
            }
            r++;
        } else if (c == '"') {
            while (*r != '"') {
                if (*r == '\0')
                    return SOLO5_CMDLINE_EQUOTE;
                if (*r == '\\' && escapable_in_double_quotes(r[1]))
                    r++;
                *w++ = *r++;
            }
            r++;
        } else if (c == '\\') {
            if (*r == '\0')
                return SOLO5_CMDLINE_EBACKSLASH;
            *w++ = *r++;
        } else {
            *w++ = c;
        }
    }
    *rp = r;
    *wp = w;
    return 0;
}

int solo5_cmdline_split(char *s, char **words, int max_words)
{
    int n = 0;
    char *r = s;
    for (;;) {
        while (is_blank(*r))
            r++;
        if (*r == '\0')
            return n;
        if (n == max_words)
            return SOLO5_CMDLINE_ETOOMANY;
        char *start = r, *w = r;
        int err = take_word(&r, &w);
        if (err < 0)
            return err;
        /* The word ends at a blank or at the end of s: either way there is
         * room for its NUL at w (w <= r), and the blank is consumed. */
        bool at_end = *r == '\0';
        *w = '\0';
        words[n++] = start;
        if (at_end)
            return n;
        r++;
    }
}

const char *solo5_cmdline_strerror(int error)
{
    switch (error) {
    case SOLO5_CMDLINE_EQUOTE:
        return "unterminated quote";
    case SOLO5_CMDLINE_EBACKSLASH:
        return "backslash at the end";
    case SOLO5_CMDLINE_ETOOMANY:
        return "too many arguments";
    default:
        return "invalid";
    }
}
