/* Running a program from the mirage command and the configure actions. */
#ifndef MIRAGE_TOOL_RUN_H
#define MIRAGE_TOOL_RUN_H

/* Run argv[0] (looked up in PATH, no shell) with argv, after flushing
 * stdout, and wait for it. Its exit status, 128 + the signal that ended
 * it, or -1 when it cannot be started or waited for; a program that
 * cannot be executed exits with 127 after "mirage: cannot run NAME:
 * REASON" on stderr. */
int run_program(char *const argv[]);
/* The same, with what the program writes to stderr kept in *err (a
 * malloc'd string the caller frees; NULL when the result is -1). */
int run_program_stderr(char *const argv[], char **err);

#endif
