/* Running a program and waiting for it (run.h). */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Start argv (its stderr into err_fd unless err_fd < 0) and wait. */
static int run(char *const argv[], int err_fd)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (err_fd >= 0 && dup2(err_fd, 2) < 0)
            _exit(127);
        execvp(argv[0], argv);
        fprintf(stderr, "mirage: cannot run %s: %s\n", argv[0],
                strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int run_program(char *const argv[])
{
    return run(argv, -1);
}

int run_program_stderr(char *const argv[], char **err)
{
    FILE *tmp = tmpfile();
    *err = NULL;
    if (!tmp)
        return -1;
    int rc = run(argv, fileno(tmp));
    long n = rc >= 0 && fseek(tmp, 0, SEEK_END) == 0 ? ftell(tmp) : -1;
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (text && fseek(tmp, 0, SEEK_SET) == 0 &&
        fread(text, 1, (size_t)n, tmp) == (size_t)n) {
        text[n] = 0;
        *err = text;
    } else {
        free(text);
        rc = -1;
    }
    fclose(tmp);
    return rc;
}
