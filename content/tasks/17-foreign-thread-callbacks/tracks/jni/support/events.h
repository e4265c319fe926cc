/*
 * events: the lab's event-driven C library for task 17. It stands in for an audio, network or
 * file-watching library: once started, it delivers events from threads of its own, which your
 * runtime did not create, by calling your callback.
 *
 *   events_start(cb, userdata, nthreads, count)
 *       starts nthreads "source" threads (1..EVENTS_MAX_THREADS); source s calls
 *       cb(userdata, s, seq) for seq = 0, 1, ..., count - 1. Returns at once: 0, or -1 when
 *       events are already running or an argument is invalid.
 *   events_stop()
 *       waits until every source thread has finished (it joins them) and ends the run.
 *       Returns 1 when a callback stopped the run early (it returned EVENTS_STOP), 0 when every
 *       event was delivered, -1 when nothing was running.
 *   events_cancel()
 *       asks the sources to stop after the event they are delivering now.
 *   events_delivered()
 *       how many callbacks of the current (or last) run have returned.
 *
 * Threading contract: the library calls the callback while holding its internal lock, so calls
 * never overlap. A callback must return quickly, and must not call events_start, events_stop,
 * events_cancel or events_delivered: they take the same lock, and the call would wait forever.
 * To stop the run from a callback, return EVENTS_STOP.
 */
#ifndef EVENTS_H
#define EVENTS_H

#define EVENTS_MAX_THREADS 64
#define EVENTS_OK 0   /* the event was handled; keep going */
#define EVENTS_STOP 1 /* the event failed; deliver no more events in this run */

typedef int (*events_callback)(void *userdata, int source, int sequence);

int events_start(events_callback cb, void *userdata, int nthreads, int count);
int events_stop(void);
void events_cancel(void);
long events_delivered(void);

#endif
