/*
 * events: the lab's event-driven C library for task 17 (see events.h). In the JNI track the
 * checker compiles it into your libevents_jni.so, next to events_jni.c.
 *
 * One mutex guards everything, and every callback runs with it held, as many real libraries do
 * to keep their own state consistent while user code runs. A callback that calls back into the
 * library therefore blocks on a lock its own thread holds. The library notices that case (a
 * thread-local flag says "inside a callback") and prints one line to stderr before it blocks, so
 * the hang has a name.
 */
#include "events.h"

#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static events_callback callback;
static void *user;
static int sources, per_source, running, stopping;
static long delivered;
static pthread_t threads[EVENTS_MAX_THREADS];
static int source_ids[EVENTS_MAX_THREADS];
static __thread int in_callback;
static long reentered; /* JNI track: calls from inside a callback, for the checker */

static void warn_reentry(const char *function)
{
    if (in_callback) {
        __atomic_add_fetch(&reentered, 1, __ATOMIC_SEQ_CST);
        fprintf(stderr,
                "events: %s() called from inside an event callback; the library holds its lock "
                "while it calls you, so this call waits forever\n",
                function);
        fflush(stderr);
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

/* JNI track, for the checker only (they take no lock): whether the calling thread is one of the
 * library's threads inside a callback, and how many calls came from inside a callback. */
int events_in_callback(void)
{
    return in_callback;
}

long events_reentered(void)
{
    return __atomic_load_n(&reentered, __ATOMIC_SEQ_CST);
}
