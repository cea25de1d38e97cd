/* What `mirage configure` keeps in the application directory, beside the
 * files it generates for the build. Shared by the `mirage` program and
 * the configuration program. */
#ifndef MIRAGE_TOOL_APPDIR_H
#define MIRAGE_TOOL_APPDIR_H

/* The configure arguments, one per line ('\' and newline escaped): what
 * build, describe, query and configure --cached start from. */
#define APPDIR_CONTEXT "mirage/context"
/* Every file the last configure generated, one per line: the next one
 * removes those it does not generate again, clean removes them all. */
#define APPDIR_FILES "mirage/files"
/* The files configure read (config.c, the directories and files the
 * devices embed or archive) and the rule that configures again when one
 * changes, appears or disappears; the Makefile includes it. */
#define APPDIR_INPUTS "mirage/inputs.mk"
/* The configuration program and the config.c text it was built from. */
#define APPDIR_CONFIG_BIN "mirage/config.bin"
#define APPDIR_CONFIG_SRC "mirage/config.src"

/* After a failed configure: remove the Makefile, the cached arguments
 * and the inputs, so that neither make nor `mirage build` builds the
 * previous configuration. Errors other than "no such file" are printed;
 * returns 0 or -1. */
int appdir_unconfigure(void);

#endif
