/* <time.h> of the freestanding libc subset: only what precompiled
 * libraries need. Calendar conversions live in <mirage/clock.h>. */
#ifndef _MIRAGE_TIME_H
#define _MIRAGE_TIME_H

typedef long time_t;

/* Seconds since the Unix epoch by the platform's wall clock; also stored
 * in *t when t is not NULL. Never fails. */
time_t time(time_t *t);

#endif
