/*
 * Hidden helper, loaded by the driver (never by the student's code): crashprobe_install(fd)
 * installs handlers for fatal signals. When the process dies, the handler writes one JSON line to
 * fd, the driver's channel to the check: the signal, whether the crashing thread had a Python
 * thread state (none means it was a thread the interpreter did not know, running without the
 * GIL), and its native stack as (object, symbol, offset) triples, which the check turns into
 * file:line with addr2line. Then it hands the signal on to the handler it replaced (faulthandler's,
 * when that is enabled) and the process dies as it would have anyway.
 *
 * The same technique as task 6's gilprobe.c.
 */
#define _GNU_SOURCE
#include <Python.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_FRAMES 48
#define LINE_BYTES 4000 /* one write() below PIPE_BUF is not interleaved with another */

static int channel_fd = -1;
static const int fatal_signals[] = {SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE};
static struct sigaction previous[NSIG];

/* Appends JSON syntax as it is. */
static int put(char *buf, int at, const char *text)
{
    for (; *text && at < LINE_BYTES - 8; text++)
        buf[at++] = *text;
    return at;
}

/* Appends the inside of a JSON string: quotes and backslashes escaped, control bytes dropped. */
static int put_string(char *buf, int at, const char *text)
{
    for (; *text && at < LINE_BYTES - 8; text++) {
        unsigned char ch = (unsigned char)*text;
        if (ch == '"' || ch == '\\') {
            buf[at++] = '\\';
            buf[at++] = (char)ch;
        } else if (ch >= 0x20 && ch < 0x7f) {
            buf[at++] = (char)ch;
        }
    }
    return at;
}

static int put_number(char *buf, int at, unsigned long value)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value && n < (int)sizeof digits);
    while (n && at < LINE_BYTES - 8)
        buf[at++] = digits[--n];
    return at;
}

static void on_fatal(int sig, siginfo_t *info, void *context)
{
    char line[LINE_BYTES];
    void *frames[MAX_FRAMES];
    int at = 0, count, i;
    int has_thread_state = PyThreadState_GetUnchecked() != NULL;

    at = put(line, at, "{\"kind\": \"crash\", \"signal\": ");
    at = put_number(line, at, (unsigned long)sig);
    at = put(line, at, has_thread_state ? ", \"thread_state\": true" : ", \"thread_state\": false");
    at = put(line, at, ", \"frames\": [");
    count = backtrace(frames, MAX_FRAMES);
    for (i = 0; i < count && at < LINE_BYTES - 300; i++) {
        Dl_info where;
        memset(&where, 0, sizeof where);
        if (!dladdr(frames[i], &where) || !where.dli_fname)
            continue;
        at = put(line, at, i ? ", [\"" : "[\"");
        at = put_string(line, at, where.dli_fname);
        at = put(line, at, "\", \"");
        at = put_string(line, at, where.dli_sname ? where.dli_sname : "");
        at = put(line, at, "\", ");
        at = put_number(line, at, (unsigned long)((char *)frames[i] - (char *)where.dli_fbase));
        at = put(line, at, "]");
    }
    at = put(line, at, "]}\n");
    if (channel_fd >= 0 && write(channel_fd, line, (size_t)at) < 0) {
        /* nothing to do: the process is dying anyway */
    }

    /* Hand over to the handler that was there before (faulthandler prints the Python stacks). */
    sigaction(sig, &previous[sig], NULL);
    if (previous[sig].sa_flags & SA_SIGINFO) {
        if (previous[sig].sa_sigaction)
            previous[sig].sa_sigaction(sig, info, context);
    } else if (previous[sig].sa_handler != SIG_DFL && previous[sig].sa_handler != SIG_IGN) {
        previous[sig].sa_handler(sig);
    }
    /* Returning re-runs the faulting instruction, or lets abort() finish, under the old handler. */
}

int crashprobe_install(int fd)
{
    void *warm[2];
    struct sigaction action;
    size_t i;

    channel_fd = fd;
    backtrace(warm, 2); /* loads the unwinder now, not inside a signal handler */
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fatal;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        if (sigaction(fatal_signals[i], &action, &previous[fatal_signals[i]]) != 0)
            return -1;
    }
    return 0;
}
