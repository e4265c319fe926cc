/*
 * ticker: the lab's C library for task 12. ticker_run starts a thread of its own (a pthread the
 * JVM knows nothing about) and calls your hooks on that thread:
 *
 *     thread_started(userdata)          once, first thing on the new thread (may be NULL)
 *     tick(userdata, value)             for value = 0, 1, ..., count - 1, in order
 *     thread_stopping(userdata)         once, last thing before the thread ends (may be NULL)
 *
 * ticker_run waits for the thread to end before it returns, so userdata may point to a local
 * variable of the caller. It returns 0, or an errno value (EINVAL for a NULL tick or a negative
 * count, or what pthread_create / pthread_join reported).
 */
#ifndef TICKER_H
#define TICKER_H

typedef struct ticker_hooks {
    void (*thread_started)(void *userdata);
    void (*tick)(void *userdata, int value);
    void (*thread_stopping)(void *userdata);
} ticker_hooks;

int ticker_run(const ticker_hooks *hooks, void *userdata, int count);

#endif
