/*
 * procs: tasks in child processes, their output held in memory files and
 * passed on in order.  A child that cannot start or is killed is
 * reported through diag, after its own output.
 */
#define _GNU_SOURCE
#include "procs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

/* Most tasks started from the first whose output is not passed on yet.
 * Each keeps two files open until then. */
#define PROCS_AHEAD 64

/* One task's child process. */
struct child {
    pid_t pid;       /* 0 until started */
    int out, err;    /* the files that hold its output, or -1 */
    int done;        /* whether STATUS is known */
    int status;      /* its exit status */
    struct diag why; /* why it did not run or finish */
};

/* Move FD above the standard descriptors, which may be closed, so that
 * a held file is never read back into itself.  Returns the new
 * descriptor, or -1 on failure. */
static int above_standard(int fd)
{
    int moved;

    if (fd < 0 || fd > STDERR_FILENO)
        return fd;
    moved = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    close(fd);
    return moved;
}

/* Open a file for a child's output: a file in memory where Linux has
 * them, else an unnamed temporary file.  Returns -1 on failure. */
static int hold_file(void)
{
    FILE *f;
    int fd;

#ifdef MFD_CLOEXEC
    fd = memfd_create("costshare-output", MFD_CLOEXEC);
    if (fd >= 0)
        return above_standard(fd);
#endif
    f = tmpfile();
    if (f == NULL)
        return -1;
    fd = fcntl(fileno(f), F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    fclose(f);
    return fd;
}

/* Copy the whole of the file FD to TO, then close FD. */
static void pass_on(int fd, FILE *to)
{
    char buf[1 << 16];
    off_t at = 0;
    ssize_t got;

    if (fd < 0)
        return;
    for (;;) {
        got = pread(fd, buf, sizeof buf, at);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        fwrite(buf, 1, (size_t)got, to);
        at += got;
    }
    close(fd);
}

/* Start task I in a child process C.  On failure C is done, with the
 * reason in its WHY. */
static void start(struct child *c, size_t i, procs_task task, void *context,
                  char *const *names)
{
    pid_t parent;

    c->out = hold_file();
    c->err = c->out < 0 ? -1 : hold_file();
    if (c->err < 0) {
        diag_error(&c->why, names[i], 0, 0,
                   "cannot hold the output of the run: %s", strerror(errno));
        goto failed;
    }
    /* Nothing buffered may be written twice, by the parent and the
     * child. */
    fflush(NULL);
    parent = getpid();
    c->pid = fork();
    if (c->pid == 0) {
        int status = EXIT_SYSTEM;

#ifdef __linux__
        /* A child ends with the parent, like a run that is killed. */
        if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
            _exit(EXIT_SYSTEM);
#endif
        if (dup2(c->out, STDOUT_FILENO) >= 0 &&
            dup2(c->err, STDERR_FILENO) >= 0)
            status = task(i, context);
        fflush(stdout);
        fflush(stderr);
        exit(status);
    }
    if (c->pid > 0)
        return;
    diag_error(&c->why, names[i], 0, 0, "cannot start the run: %s",
               strerror(errno));
failed:
    c->done = 1;
    c->status = EXIT_SYSTEM;
}

/* Record the wait status WS of the child C, named NAME. */
static void ended(struct child *c, int ws, const char *name)
{
    c->done = 1;
    if (WIFEXITED(ws)) {
        c->status = WEXITSTATUS(ws);
        return;
    }
    c->status = EXIT_SYSTEM;
    if (WIFSIGNALED(ws))
        diag_error(&c->why, name, 0, 0,
                   "the run was stopped by signal %d (%s)", WTERMSIG(ws),
                   strsignal(WTERMSIG(ws)));
    else
        diag_error(&c->why, name, 0, 0, "the run ended abnormally");
}

/* Wait for one of the N children in C to end.  Returns 0, or -1 when
 * none is left to wait for. */
static int wait_one(struct child *c, size_t n, char *const *names)
{
    int ws;
    pid_t pid;

    for (;;) {
        pid = waitpid(-1, &ws, 0);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid < 0)
            return -1;
        for (size_t i = 0; i < n; i++) {
            if (c[i].pid == pid && !c[i].done) {
                ended(&c[i], ws, names[i]);
                return 0;
            }
        }
    }
}

int procs_run(size_t n, unsigned max, procs_task task, void *context,
              char *const *names, FILE *out, FILE *err)
{
    struct child *c = xcalloc(n ? n : 1, sizeof *c);
    size_t started = 0, running = 0, shown = 0;
    int result = 0;

    for (size_t i = 0; i < n; i++)
        diag_init(&c[i].why);
    if (max == 0)
        max = 1;
    while (shown < n) {
        /* The output of children done before an earlier one is held
         * open, so only so many may run ahead of the first one. */
        for (; started < n && running < max && started - shown < PROCS_AHEAD;
             started++) {
            start(&c[started], started, task, context, names);
            if (!c[started].done)
                running++;
        }
        for (; shown < n && c[shown].done; shown++) {
            pass_on(c[shown].out, out);
            pass_on(c[shown].err, err);
            diag_print(&c[shown].why, err);
            diag_release(&c[shown].why);
            fflush(out);
            fflush(err);
            if (result == 0)
                result = c[shown].status;
        }
        if (shown < n && running > 0) {
            if (wait_one(c, n, names) != 0) {
                /* Only a child reaped elsewhere gets here. */
                for (size_t i = shown; i < started; i++) {
                    if (!c[i].done) {
                        c[i].done = 1;
                        c[i].status = EXIT_SYSTEM;
                        diag_error(&c[i].why, names[i], 0, 0,
                                   "the run was lost");
                    }
                }
                running = 0;
            } else {
                running--;
            }
        }
    }
    free(c);
    return result;
}
