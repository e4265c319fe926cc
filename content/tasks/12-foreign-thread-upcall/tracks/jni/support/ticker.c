/*
 * Task 12 (hidden from the browser, not a secret): the ticker library, linked into your
 * libticker_jni.so by the checker. See ticker.h for what it does.
 *
 * Two functions are for the checker only: ticker_ticks_delivered counts the tick calls that
 * returned, and ticker_in_tick tells whether the calling thread is a ticker thread inside a
 * tick call (the checker's listener asks it, which proves the value came through the library).
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>

#include "ticker.h"

static long delivered;
static __thread int inside_tick;

struct job {
    const ticker_hooks *hooks;
    void *userdata;
    int count;
};

static void *ticker_thread(void *arg)
{
    const struct job *job = arg;
    if (job->hooks->thread_started != NULL)
        job->hooks->thread_started(job->userdata);
    for (int value = 0; value < job->count; value++) {
        inside_tick = 1;
        job->hooks->tick(job->userdata, value);
        inside_tick = 0;
        __atomic_add_fetch(&delivered, 1, __ATOMIC_SEQ_CST);
    }
    if (job->hooks->thread_stopping != NULL)
        job->hooks->thread_stopping(job->userdata);
    return NULL;
}

int ticker_run(const ticker_hooks *hooks, void *userdata, int count)
{
    if (hooks == NULL || hooks->tick == NULL || count < 0)
        return EINVAL;
    struct job job = { hooks, userdata, count };
    pthread_t thread;
    int rc = pthread_create(&thread, NULL, ticker_thread, &job);
    if (rc != 0)
        return rc;
    return pthread_join(thread, NULL);
}

long ticker_ticks_delivered(void)
{
    return __atomic_load_n(&delivered, __ATOMIC_SEQ_CST);
}

int ticker_in_tick(void)
{
    return inside_tick;
}
