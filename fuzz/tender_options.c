/* libFuzzer target: the tenders' command-line parser
 * (tender/common/options.c) on arbitrary argument vectors: the input
 * split at NUL bytes is argv[1..]. Checks that a successful parse points
 * its image into argv, keeps the command line NUL-terminated within its
 * buffer, and names at most SOLO5_MFT_MAX_ENTRIES devices, and that an
 * error leaves a message. */
#include <stdlib.h>
#include <string.h>

#include "../tender/common/tender.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *argv[MAX_ARGS + 2] = {"tender"};
    int argc = 1;
    for (char *p = copy; p <= copy + size && argc <= MAX_ARGS;
         p += strlen(p) + 1)
        argv[argc++] = p;
    argv[argc] = NULL;
    static struct tender_opts o;
    char err[TENDER_ERR_SIZE] = "";
    switch (tender_opts_parse(argc, argv, &o, err)) {
    case TENDER_OPTS_RUN:
        if (o.image < copy || o.image > copy + size ||
            memchr(o.cmdline, '\0', sizeof o.cmdline) == NULL ||
            o.ndev > SOLO5_MFT_MAX_ENTRIES)
            abort();
        break;
    case TENDER_OPTS_ERROR:
        if (err[0] == '\0' || memchr(err, '\0', sizeof err) == NULL)
            abort();
        break;
    default:
        break;
    }
    free(copy);
    return 0;
}
