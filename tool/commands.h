/* The commands of `mirage` and their help: one table for the `mirage`
 * program (tool/mirage.c), which lists them and answers `mirage help
 * COMMAND` outside an application, and for the configuration program
 * (tool/cli.c), which runs them. */
#ifndef MIRAGE_TOOL_COMMANDS_H
#define MIRAGE_TOOL_COMMANDS_H

#include <stdio.h>

struct command {
    const char *name;
    const char *summary; /* one line, for `mirage --help` */
    const char *doc;     /* a sentence or two, for `mirage COMMAND --help` */
    const char *args;    /* positional arguments in the usage line, or "" */
};

/* The command called name, or NULL ("help" is one). */
const struct command *command_find(const char *name);
/* `mirage --help`: the usage and every command's summary. */
void commands_usage(FILE *out);
/* `mirage COMMAND --help` up to the configure keys: the usage line, the
 * doc and the options. app is the application's name, or NULL outside an
 * application directory (the keys are then not known: a note says so). */
void command_help(FILE *out, const struct command *c, const char *app);

#endif
