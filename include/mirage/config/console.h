/* The console devices (lib/console, entries in lib/console/config.c).
 * Part of <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_CONSOLE_H
#define MIRAGE_CONFIG_CONSOLE_H

/* console_typ: struct mirage_console * (<mirage/console.h>). */
#define console_typ                                                            \
    typ_new("console", "struct mirage_console *", .header = "mirage/console.h")

/* default_console(): the platform console.
 * Example: default_console()
 * custom_console(name): the platform console under another name.
 * Example: custom_console("debug") */
#define default_console()    MIRAGE_ENTRY_(mirage_default_console_())
#define custom_console(name) MIRAGE_ENTRY_(mirage_custom_console_(name))

impl *mirage_default_console_(void);
impl *mirage_custom_console_(const char *name);

#endif
