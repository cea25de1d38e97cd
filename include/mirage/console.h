/* The console device (MirageOS CONSOLE): a byte stream to the operator. */
#ifndef MIRAGE_CONSOLE_H
#define MIRAGE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

struct mirage_console;
struct mirage_console_ops {
    /* Write all len bytes; 0 or a MIRAGE_E* code. Does not yield. */
    int (*write)(struct mirage_console *c, const void *buf, size_t len);
};
struct mirage_console {
    const struct mirage_console_ops *ops;
    const char *name;
};

static inline int mirage_console_write(struct mirage_console *c,
                                       const void *buf, size_t len)
{
    return c->ops->write(c, buf, len);
}
/* Format with printf conventions and write the result plus a newline. */
int mirage_console_log(struct mirage_console *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Connect functions used by the generated main.c (0 or MIRAGE_E*). The
 * device lives until exit. default: the platform console, named "0";
 * custom: the platform console under another name (prefixed to nothing;
 * MirageOS uses the name to pick a Xen console). */
int mirage_console_connect_default(struct mirage_console **out);
int mirage_console_connect_custom(struct mirage_console **out,
                                  const char *name);

#endif
