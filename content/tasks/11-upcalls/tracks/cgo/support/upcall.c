/* libupcall (task 11, cgo track): see upcall.h. Messages go to stderr, so you can see the C side
 * react. When the checker listens (the file descriptor named by FFILAB_CHANNEL_FD), the library
 * also reports what it was given and how each call it made ended, as JSON lines: C is the one
 * side that knows whether a callback ever returned to it. */
#include "upcall.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t stored_lock = PTHREAD_MUTEX_INITIALIZER;
static upcall_fn stored;
static upcall_ud_fn stored_ud;
static void *stored_userdata;
static int calls;

static void report(const char *format, ...)
{
    const char *fd_text = getenv("FFILAB_CHANNEL_FD");
    if (fd_text == NULL || *fd_text == '\0')
        return;
    char line[256];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line - 1, format, args);
    va_end(args);
    if (n < 0 || n >= (int)sizeof line - 1)
        return;
    line[n++] = '\n';
    ssize_t ignored = write(atoi(fd_text), line, (size_t)n);
    (void)ignored;
}

static int call_plain(upcall_fn cb, int x)
{
    __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED);
    return cb(x);
}

static int call_ud(upcall_ud_fn cb, void *userdata, int x)
{
    __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED);
    return cb(userdata, x);
}

int for_each(const int *xs, int n, upcall_fn cb)
{
    report("{\"c\": \"for_each\", \"phase\": \"enter\", \"n\": %d}", n);
    for (int i = 0; i < n; i++) {
        int status = call_plain(cb, xs[i]);
        if (status != UPCALL_OK) {
            fprintf(stderr, "libupcall: for_each stopped at element %d of %d: the callback "
                    "returned status %d\n", i, n, status);
            report("{\"c\": \"for_each\", \"phase\": \"return\", \"n\": %d, \"calls\": %d, "
                   "\"status\": %d}", n, i + 1, status);
            return status;
        }
    }
    /* Never reached when a callback's panic unwinds through this frame. */
    report("{\"c\": \"for_each\", \"phase\": \"return\", \"n\": %d, \"calls\": %d, \"status\": 0}",
           n, n);
    return UPCALL_OK;
}

int for_each_ud(const int *xs, int n, upcall_ud_fn cb, void *userdata)
{
    report("{\"c\": \"for_each\", \"phase\": \"enter\", \"n\": %d, \"userdata\": %lu}", n,
           (unsigned long)(uintptr_t)userdata);
    for (int i = 0; i < n; i++) {
        int status = call_ud(cb, userdata, xs[i]);
        if (status != UPCALL_OK) {
            fprintf(stderr, "libupcall: for_each_ud stopped at element %d of %d: the callback "
                    "returned status %d\n", i, n, status);
            report("{\"c\": \"for_each\", \"phase\": \"return\", \"n\": %d, \"calls\": %d, "
                   "\"status\": %d}", n, i + 1, status);
            return status;
        }
    }
    report("{\"c\": \"for_each\", \"phase\": \"return\", \"n\": %d, \"calls\": %d, \"status\": 0}",
           n, n);
    return UPCALL_OK;
}

void register_cb(upcall_fn cb)
{
    pthread_mutex_lock(&stored_lock);
    stored = cb;
    stored_ud = NULL;
    stored_userdata = NULL;
    pthread_mutex_unlock(&stored_lock);
    report("{\"c\": \"register\", \"callback\": %d, \"userdata\": 0}", cb != NULL);
}

void register_cb_ud(upcall_ud_fn cb, void *userdata)
{
    pthread_mutex_lock(&stored_lock);
    stored = NULL;
    stored_ud = cb;
    stored_userdata = cb != NULL ? userdata : NULL;
    pthread_mutex_unlock(&stored_lock);
    report("{\"c\": \"register\", \"callback\": %d, \"userdata\": %lu}", cb != NULL,
           (unsigned long)(uintptr_t)userdata);
}

int fire(int x)
{
    pthread_mutex_lock(&stored_lock);
    upcall_fn cb = stored;
    upcall_ud_fn cb_ud = stored_ud;
    void *userdata = stored_userdata;
    pthread_mutex_unlock(&stored_lock);
    if (cb == NULL && cb_ud == NULL) {
        fprintf(stderr, "libupcall: fire(%d): no callback is registered\n", x);
        report("{\"c\": \"fire\", \"phase\": \"empty\", \"x\": %d}", x);
        return UPCALL_NO_CALLBACK;
    }
    report("{\"c\": \"fire\", \"phase\": \"enter\", \"x\": %d, \"userdata\": %lu}", x,
           (unsigned long)(uintptr_t)userdata);
    int status = cb != NULL ? call_plain(cb, x) : call_ud(cb_ud, userdata, x);
    if (status != UPCALL_OK)
        fprintf(stderr, "libupcall: fire(%d): the callback returned status %d\n", x, status);
    report("{\"c\": \"fire\", \"phase\": \"return\", \"x\": %d, \"status\": %d}", x, status);
    return status;
}

int upcall_calls(void)
{
    return __atomic_load_n(&calls, __ATOMIC_RELAXED);
}
