/* libFuzzer target: the tenders' command-line parser
 * (tender/common/options.c) on arbitrary argument vectors: the input
 * split at NUL bytes is argv[1..]. Checks that a successful parse points
 * its image into argv, keeps the command line NUL-terminated within its
 * buffer, and names at most SOLO5_MFT_MAX_ENTRIES devices, and that an
 * error leaves a message. */
#include <stdlib.h>
#include <string.h>

#include "argv.h"

#include "../tender/common/tender.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *argv[FUZZ_MAX_ARGS + 2], *copy;
    int argc = fuzz_argv(data, size, "tender", argv, &copy);
    if (argc == 0)
        return 0;
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
