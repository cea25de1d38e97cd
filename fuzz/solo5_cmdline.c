/* libFuzzer target: the Solo5 command-line splitter (plat/solo5/cmdline.c)
 * on arbitrary lines. The first byte chooses the word limit; the rest is
 * the line (NUL-terminated here). Checks what the splitter promises:
 * at most the limit, every word inside the line, in order, NUL-terminated
 * there, and a description for every error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../plat/solo5/cmdline.h"

#define MAX_WORDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int max = data[0] % (MAX_WORDS + 1);
    char *line = malloc(size);
    if (!line)
        return 0;
    memcpy(line, data + 1, size - 1);
    line[size - 1] = '\0';
    size_t len = strlen(line);
    char *words[MAX_WORDS];
    int n = solo5_cmdline_split(line, words, max);
    if (n < 0) {
        if (!solo5_cmdline_strerror(n))
            abort();
    } else {
        if (n > max)
            abort();
        const char *end = line;
        for (int i = 0; i < n; i++) {
            size_t w = strlen(words[i]);
            if (words[i] < end || words[i] + w > line + len)
                abort();
            end = words[i] + w + 1;
        }
    }
    free(line);
    return 0;
}
