/* app_info: prints what the configuration knew (name, target, configure
 * arguments, libraries, keys) on the console. */
#include <mirage/console.h>
#include <mirage/info.h>

static void list(struct mirage_console *c, const char *what,
                 const char *const *items)
{
    for (; *items; items++)
        mirage_console_log(c, "%s: %s", what, *items);
}

int app_info_start(struct mirage_console *c, struct mirage_info *info)
{
    mirage_console_log(c, "name: %s", info->name);
    mirage_console_log(c, "target: %s", info->target);
    mirage_console_log(c, "configured with: %s", info->configure_args);
    list(c, "library", info->libraries);
    list(c, "package", info->packages);
    list(c, "key", info->keys);
    return 0;
}
