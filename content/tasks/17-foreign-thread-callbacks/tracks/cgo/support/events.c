/*
 * events: the lab's event-driven C library for task 17 (see events.h). In the cgo track it is
 * compiled into your package by cgo, next to events.go.
 *
 * One mutex guards everything, and every callback runs with it held, as many real libraries do
 * to keep their own state consistent while user code runs. A callback that calls back into the
 * library therefore blocks on a lock its own thread holds. The library notices that case (a
 * thread-local flag says "inside a callback") and prints one line to stderr before it blocks, so
 * the hang has a name.
 */
#include "events.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static events_callback callback;
static void *user;
static int sources, per_source, running, stopping;
static long delivered;
static pthread_t threads[EVENTS_MAX_THREADS];
static int source_ids[EVENTS_MAX_THREADS];
static __thread int in_callback;

/* cgo track: when the checker listens (the file descriptor named by FFILAB_CHANNEL_FD), the
 * library also reports what it was given, what it counted, and any call from inside a
 * callback, as JSON lines. C is the one side that sees those. */
static void report(const char *format, ...)
{
    const char *fd_text = getenv("FFILAB_CHANNEL_FD");
    char line[256];
    va_list args;
    int n;

    if (fd_text == NULL || *fd_text == '\0')
        return;
    va_start(args, format);
    n = vsnprintf(line, sizeof line - 1, format, args);
    va_end(args);
    if (n < 0 || n >= (int)sizeof line - 1)
        return;
    line[n++] = '\n';
    if (write(atoi(fd_text), line, (size_t)n) < 0)
        return;
}

static void warn_reentry(const char *function)
{
    if (in_callback) {
        fprintf(stderr,
                "events: %s() called from inside an event callback; the library holds its lock "
                "while it calls you, so this call waits forever\n",
                function);
        fflush(stderr);
        report("{\"c\": \"reentered\", \"function\": \"%s\"}", function);
    }
}

static void *source_main(void *arg)
{
    int source = *(const int *)arg;

    for (int seq = 0; seq < per_source; seq++) {
        int status;
        pthread_mutex_lock(&lock);
        if (stopping) {
            pthread_mutex_unlock(&lock);
            break;
        }
        in_callback = 1;
        status = callback(user, source, seq);
        in_callback = 0;
        delivered++;
        if (status != EVENTS_OK)
            stopping = 1;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int events_start(events_callback cb, void *userdata, int nthreads, int count)
{
    int started = 0;

    warn_reentry("events_start");
    pthread_mutex_lock(&lock);
    if (running || cb == NULL || nthreads < 1 || nthreads > EVENTS_MAX_THREADS || count < 0) {
        pthread_mutex_unlock(&lock);
        return -1;
    }
    report("{\"c\": \"start\", \"threads\": %d, \"count\": %d, \"userdata\": %lu}", nthreads,
           count, (unsigned long)(uintptr_t)userdata);
    callback = cb;
    user = userdata;
    per_source = count;
    running = 1;
    stopping = 0;
    delivered = 0;
    /* The sources start while we hold the lock: none delivers before all exist. */
    for (; started < nthreads; started++) {
        source_ids[started] = started;
        if (pthread_create(&threads[started], NULL, source_main, &source_ids[started]) != 0)
            break;
    }
    sources = started;
    if (started < nthreads) {
        /* Could not start them all: the ones running stop at once, and the run never was. */
        stopping = 1;
        pthread_mutex_unlock(&lock);
        for (int i = 0; i < started; i++)
            pthread_join(threads[i], NULL);
        pthread_mutex_lock(&lock);
        running = 0;
        pthread_mutex_unlock(&lock);
        return -1;
    }
    pthread_mutex_unlock(&lock);
    return 0;
}

int events_stop(void)
{
    int stopped;

    warn_reentry("events_stop");
    pthread_mutex_lock(&lock);
    if (!running) {
        pthread_mutex_unlock(&lock);
        return -1;
    }
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < sources; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_lock(&lock);
    running = 0;
    stopped = stopping;
    report("{\"c\": \"stop\", \"delivered\": %ld, \"stopped\": %d}", delivered, stopped);
    pthread_mutex_unlock(&lock);
    return stopped;
}

void events_cancel(void)
{
    warn_reentry("events_cancel");
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_mutex_unlock(&lock);
}

long events_delivered(void)
{
    long n;

    warn_reentry("events_delivered");
    pthread_mutex_lock(&lock);
    n = delivered;
    pthread_mutex_unlock(&lock);
    return n;
}
