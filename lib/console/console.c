/* The console devices: default_console and custom_console, both writing
 * to the platform console. */
#include <mirage/console.h>
#include <mirage/error.h>
#include <mirage/plat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int plat_write(struct mirage_console *c, const void *buf, size_t len)
{
    (void)c;
    if (!buf && len > 0)
        return MIRAGE_EINVAL;
    plat_console_write(buf, len);
    return 0;
}

static const struct mirage_console_ops plat_console_ops = {
    .write = plat_write,
};

static struct mirage_console default_console = {&plat_console_ops, "0"};

int mirage_console_connect_default(struct mirage_console **out)
{
    *out = &default_console;
    return 0;
}

/* The device holds its own copy of the name. */
int mirage_console_connect_custom(struct mirage_console **out, const char *name)
{
    if (!name || !*name)
        return MIRAGE_EINVAL;
    size_t len = strlen(name);
    struct mirage_console *c = malloc(sizeof *c + len + 1);
    if (!c)
        return MIRAGE_ENOMEM;
    char *copy = (char *)(c + 1);
    memcpy(copy, name, len + 1);
    *c = (struct mirage_console){&plat_console_ops, copy};
    *out = c;
    return 0;
}

/* Short messages are formatted on the stack; longer ones in the heap. */
int mirage_console_log(struct mirage_console *c, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return MIRAGE_EINVAL;
    char *buf = small;
    if ((size_t)n >= sizeof small - 1) {
        buf = malloc((size_t)n + 2);
        if (!buf)
            return MIRAGE_ENOMEM;
        va_start(ap, fmt);
        vsnprintf(buf, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    buf[n] = '\n';
    int err = mirage_console_write(c, buf, (size_t)n + 1);
    if (buf != small)
        free(buf);
    return err;
}
