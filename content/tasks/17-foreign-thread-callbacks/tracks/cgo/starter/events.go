// Package events binds the lab's event library (events.h), which delivers events from threads
// of its own, to a Go handler.
package events

/*
#include <stdint.h>
#include "events.h"

// TODO 1: declare the Go function you export below, as cgo's _cgo_export.h declares it:
//     int goEvent(uintptr_t handle, int source, int sequence);
// TODO 2: the library calls a C function of type events_callback,
//     int (void *userdata, int source, int sequence).
// Write a static trampoline of that type that passes userdata on to goEvent as a uintptr_t.
// TODO 3: Go cannot take the address of a static C function, so also write a static helper
// that calls events_start with the trampoline and the handle as its userdata:
//     static int start_with_handle(int nthreads, int count, uintptr_t handle) { ... }
*/
import "C"

import "errors"

// Event is one callback of the library: which of its source threads sent it, and that source's
// sequence number (0, 1, ... for each source).
type Event struct {
	Source, Seq int
}

// Stream is one run of the library.
type Stream struct {
	// TODO 4: what the callback needs (the handler, a count of received events that is safe to
	// update on the library's threads, the handler's panic if it had one) and what Stop needs
	// (the cgo.Handle).
}

// goEvent runs on a thread the library created, while the library holds its lock.
//
// TODO 5: resolve the handle (cgo.Handle(handle).Value(), package runtime/cgo), count the
// event, call the handler with Event{Source: int(source), Seq: int(sequence)}, and return
// C.EVENTS_OK. Recover a panic here, keep it for Stop, and return C.EVENTS_STOP instead. Never
// call an events_* function from here: the library's lock is held, and it is not recursive.
//
//export goEvent
func goEvent(handle C.uintptr_t, source, sequence C.int) C.int {
	return C.EVENTS_STOP
}

// Start starts the library with `threads` source threads that each deliver `count` events.
// handler is called once per event, on the library's threads, one call at a time. Only one
// stream runs at a time.
//
// TODO 6: give the library a cgo.Handle as its userdata, never a Go pointer: it keeps the
// userdata until events_stop has returned. Put everything the callback needs in place before
// events_start: the first events can arrive before it returns.
func Start(threads, count int, handler func(Event)) (*Stream, error) {
	return nil, errors.New("events: Start is not written yet")
}

// Received returns how many events have reached Go so far. Safe to call from any goroutine at
// any time, also while events arrive.
func (s *Stream) Received() int64 {
	return 0
}

// Stop waits until the library's threads have delivered their events (events_stop), ends the
// run and releases the handle: delete it only after events_stop has returned. It returns the
// handler's panic as an error, when there was one. Calls after the first return nil.
func (s *Stream) Stop() error {
	return nil
}
