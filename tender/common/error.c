/* The tenders' one-line diagnostics. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "tender.h"

const char *tender_name = "tender";

void tender_die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", tender_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

int tender_errf(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, TENDER_ERR_SIZE, fmt, ap);
    va_end(ap);
    return -1;
}
