/* The guest bindings' diagnostics (see say.h). */
#include "say.h"

#include <mirage/plat.h>
#include <stdarg.h>
#include <stddef.h>

void solo5_say(const char *s, ...)
{
    va_list ap;
    va_start(ap, s);
    for (; s != NULL; s = va_arg(ap, const char *)) {
        size_t n = 0;
        while (s[n] != '\0')
            n++;
        plat_console_write(s, n);
    }
    va_end(ap);
}
