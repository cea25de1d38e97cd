/* The commands of `mirage` and their help (commands.h). */
#include "commands.h"

#include <stdbool.h>
#include <string.h>

static const struct command commands[] = {
    {"configure", "generate the build files for a target",
     "Generate mirage/main.c, mirage/start.h and the Makefile for a "
     "target (and run the devices' configure actions). A configure that "
     "fails leaves no Makefile behind.",
     ""},
    {"build", "configure again with the cached arguments, then make",
     "Configure again with the cached arguments (mirage/context) and build "
     "the image.",
     ""},
    {"clean", "remove the generated files and the image",
     "Remove every generated file and the image.", ""},
    {"describe", "show the configuration (--dot: as a Graphviz graph)",
     "Show the configuration (--dot: as a Graphviz graph).", ""},
    {"query", "print packages, files, Makefile, main, start or manifest",
     "Print one generated item: packages, files, Makefile, main, start or "
     "manifest.",
     " WHAT"},
    {"help", "show this help, or a command's ('mirage help configure')",
     "Show the help of COMMAND, or the list of commands.", " [COMMAND]"},
};

const struct command *command_find(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

void commands_usage(FILE *out)
{
    fprintf(out, "usage: mirage COMMAND [OPTION]...\n"
                 "       mirage --version\n\n"
                 "Configures, builds and describes MirageC unikernels.\n"
                 "Run in the application's directory (or give -f "
                 "DIR/config.c).\n\nCOMMANDS\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

void command_help(FILE *out, const struct command *c, const char *app)
{
    bool configure = strcmp(c->name, "configure") == 0;
    fprintf(out, "usage: mirage %s [OPTION]...%s\n\n%s\n", c->name, c->args,
            c->doc);
    if (strcmp(c->name, "help") == 0)
        return;
    fprintf(out, "\nOPTIONS\n  -f FILE, --file=FILE\n      The "
                 "configuration file (default config.c).\n");
    fprintf(out,
            "  -o NAME, --output=NAME\n      The image's name "
            "(default %s).\n",
            app ? app : "the application's name");
    if (configure)
        fprintf(out, "  --dry-run\n      Show what would be written; write "
                     "nothing.\n  --cached\n      Start from the cached "
                     "arguments, as build does (what plain make\n      runs "
                     "when config.c or a file a device read has "
                     "changed).\n");
    if (strcmp(c->name, "describe") == 0)
        fprintf(out, "  --dot\n      Print a Graphviz graph of the "
                     "devices.\n");
    fprintf(out, "\nCONFIGURE KEYS\n");
    if (!app)
        fprintf(out,
                "  -t TARGET, --target=TARGET\n      Target platform "
                "to compile the unikernel for.\n  The other keys "
                "depend on the application: run 'mirage %s --help'\n"
                "  in its directory (or give -f DIR/config.c).\n",
                c->name);
}
