/* The hosted stand-in for the platform interface (fake_plat.c) and the
 * knobs tests use to steer it. */
#ifndef MIRAGE_TEST_FAKE_PLAT_H
#define MIRAGE_TEST_FAKE_PLAT_H

#include <mirage/plat.h>
#include <stdbool.h>
#include <stdint.h>

/* Console capture: while on, plat_console_write appends to a buffer
 * instead of writing to stdout. Turning it on empties the buffer; turning
 * it off keeps the text. */
void fake_console_capture(bool on);
/* The captured text so far, NUL-terminated (valid until the next write). */
const char *fake_console_text(void);

/* When non-zero, plat_clock_wall() returns this instead of the host time. */
extern uint64_t fake_wall_ns;
/* Handles plat_yield() reports ready on its next call (then cleared),
 * or, when fake_ready_after is N > 0, on the N-th call from now. */
extern plat_handle_set fake_ready;
extern unsigned long fake_ready_after;
/* How many times plat_yield() was called, and how many of those calls
 * found nothing ready before their deadline (and slept). */
extern unsigned long fake_yield_calls, fake_yield_waits;

#endif
