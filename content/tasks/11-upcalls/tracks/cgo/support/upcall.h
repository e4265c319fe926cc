/*
 * libupcall: a small C library that calls back into its caller's code (task 11, cgo track).
 *
 * A callback receives one int and returns a status. 0 means "carry on". Any other value means
 * "stop, something went wrong": the library stops what it is doing and hands that status back to
 * whoever called it. Callbacks written in another language use the status to report a failure
 * (an exception, a panic) without letting it travel through C.
 *
 * The first three functions are the ones every track of the task uses. The _ud variants are the
 * same with a "userdata" value: C keeps it next to the callback and passes it back, untouched, on
 * every call, so that one C callback can serve many callers and find each caller's own state.
 */
#ifndef UPCALL_H
#define UPCALL_H

#define UPCALL_OK 0           /* a callback that succeeded returns this */
#define UPCALL_FAILED 1       /* a callback that failed returns this (any nonzero value stops) */
#define UPCALL_NO_CALLBACK (-1) /* fire() found no registered callback */

typedef int (*upcall_fn)(int value);
typedef int (*upcall_ud_fn)(void *userdata, int value);

/* Calls cb(xs[0]), cb(xs[1]), ..., cb(xs[n - 1]) in that order, all before it returns. Stops at
 * the first call that returns a nonzero status and returns that status; returns UPCALL_OK when
 * every call returned UPCALL_OK. */
int for_each(const int *xs, int n, upcall_fn cb);

/* for_each with userdata: calls cb(userdata, xs[i]). Keeps nothing once it has returned. Safe to
 * call from several threads at once, and from inside a callback. */
int for_each_ud(const int *xs, int n, upcall_ud_fn cb, void *userdata);

/* Keeps cb for later (NULL forgets the stored one). register_cb does not call cb: fire() does,
 * any time after register_cb has returned, until another register_cb replaces it. */
void register_cb(upcall_fn cb);

/* register_cb with userdata: keeps cb and userdata, and fire(x) calls cb(userdata, x). C holds on
 * to userdata until the next register_cb or register_cb_ud (register_cb_ud(NULL, NULL) forgets
 * both). */
void register_cb_ud(upcall_ud_fn cb, void *userdata);

/* Calls the stored callback with x and returns its status, or UPCALL_NO_CALLBACK when no
 * callback is stored. */
int fire(int x);

/* For the checker: how many times the library has called a callback so far. */
int upcall_calls(void);

#endif
