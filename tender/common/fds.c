/* Closing the descriptors a tender inherited (see tender.h). */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tender.h"

int tender_close_fds_except(int *keep, unsigned n, char *err)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
            int t = keep[j];
            keep[j] = keep[j - 1];
            keep[j - 1] = t;
        }
    unsigned lo = 0;
    for (unsigned i = 0; i <= n; i++) {
        unsigned hi = i < n ? (unsigned)keep[i] : ~0u;
        if (hi > lo && syscall(SYS_close_range, lo, hi - 1, 0) < 0)
            return tender_errf(err, "close_range: %s", strerror(errno));
        if (i < n)
            lo = (unsigned)keep[i] + 1;
    }
    return 0;
}
