/*
 * libupcall: a small C library that calls back into its caller's code (task 11).
 *
 * A callback receives one int and returns a status. 0 means "carry on". Any other value means
 * "stop, something went wrong": the library stops what it is doing and hands that status back to
 * whoever called it. Callbacks written in another language use the status to report a failure
 * (an exception, a panic) without letting it travel through C.
 */
#ifndef UPCALL_H
#define UPCALL_H

#define UPCALL_OK 0           /* a callback that succeeded returns this */
#define UPCALL_FAILED 1       /* a callback that failed returns this (any nonzero value stops) */
#define UPCALL_NO_CALLBACK (-1) /* fire() found no registered callback */

typedef int (*upcall_fn)(int value);

/* Calls cb(xs[0]), cb(xs[1]), ..., cb(xs[n - 1]) in that order, all before it returns. Stops at
 * the first call that returns a nonzero status and returns that status; returns UPCALL_OK when
 * every call returned UPCALL_OK. */
int for_each(const int *xs, int n, upcall_fn cb);

/* Keeps cb for later (NULL forgets the stored one). register_cb does not call cb: fire() does,
 * any time after register_cb has returned, until another register_cb replaces it. */
void register_cb(upcall_fn cb);

/* Calls the stored callback with x and returns its status, or UPCALL_NO_CALLBACK when no
 * callback is stored. */
int fire(int x);

/* For the checker: how many times the library has called a callback so far. */
int upcall_calls(void);

#endif
