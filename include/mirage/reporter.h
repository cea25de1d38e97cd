/* The log reporter device: which reporter logs go to and from which
 * level. Connected before every other device. */
#ifndef MIRAGE_REPORTER_H
#define MIRAGE_REPORTER_H

#include <mirage/clock.h>
#include <mirage/log.h>

struct mirage_reporter {
    int enabled;
};

/* default_reporter: console reporter timestamped with clock (may be NULL:
 * then the platform wall clock), default threshold level. */
int mirage_reporter_connect_default(struct mirage_reporter **out,
                                    struct mirage_pclock *clock,
                                    enum mirage_log_level level);
/* no_reporter: messages are dropped. */
int mirage_reporter_connect_none(struct mirage_reporter **out);

#endif
