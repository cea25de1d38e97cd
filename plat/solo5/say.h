/* The Solo5-style guest bindings' own diagnostics (boot errors, traps),
 * written with plat_console_write before and after the runtime runs. */
#ifndef MIRAGE_PLAT_SOLO5_SAY_H
#define MIRAGE_PLAT_SOLO5_SAY_H

/* Write the strings up to NULL to the console: solo5_say("a", "b", NULL)
 * writes "ab". No allocation, no formatting. */
void solo5_say(const char *s, ...);

#endif
