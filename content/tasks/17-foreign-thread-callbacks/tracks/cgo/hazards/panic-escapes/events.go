// Package events binds the lab's event library (events.h), which delivers events from threads
// of its own, to a Go handler.
package events

/*
#include <stdint.h>
#include "events.h"

// goEvent is the Go function exported below.
int goEvent(uintptr_t handle, int source, int sequence);

// The C function the library calls, on its own threads. It hands the userdata on to Go as what
// it really is: the integer of a cgo.Handle.
static int event_trampoline(void *userdata, int source, int sequence) {
	return goEvent((uintptr_t)userdata, source, sequence);
}

// The handle becomes the library's void *userdata here, in C: the library keeps it until
// events_stop has returned, and an integer holds no Go pointer.
static int start_with_handle(int nthreads, int count, uintptr_t handle) {
	return events_start(event_trampoline, (void *)handle, nthreads, count);
}
*/
import "C"

import (
	"errors"
	"runtime/cgo"
	"sync"
	"sync/atomic"
)

// Event is one callback of the library: which of its source threads sent it, and that source's
// sequence number (0, 1, ... for each source).
type Event struct {
	Source, Seq int
}

// Stream is one run of the library.
type Stream struct {
	handler  func(Event)
	received atomic.Int64 // written on the library's threads, read from any goroutine

	mu      sync.Mutex // guards what follows
	failure error      // the handler's first panic
	handle  cgo.Handle
	stopped bool
}

// goEvent runs on a thread the library created (cgo attaches it to the Go runtime for the
// call), while the library holds its lock. It does the least it can: find the stream, count,
// call the handler, return a status. It never calls back into the library (that would wait for
// the lock this very thread holds), and it never lets a panic unwind into the library's frames.
//
//export goEvent
func goEvent(handle C.uintptr_t, source, sequence C.int) C.int {
	s := cgo.Handle(handle).Value().(*Stream)
	s.received.Add(1)
	s.handler(Event{Source: int(source), Seq: int(sequence)})
	return C.EVENTS_OK
}

// Start starts the library with `threads` source threads that each deliver `count` events.
// handler is called once per event, on the library's threads, one call at a time; it must
// return quickly and must not call Start or Stop. Only one stream runs at a time.
func Start(threads, count int, handler func(Event)) (*Stream, error) {
	if handler == nil {
		return nil, errors.New("events: nil handler")
	}
	// Everything the callback needs is in place before events_start: the first events can
	// arrive before it returns.
	s := &Stream{handler: handler}
	s.handle = cgo.NewHandle(s)
	if C.start_with_handle(C.int(threads), C.int(count), C.uintptr_t(s.handle)) != 0 {
		s.handle.Delete()
		return nil, errors.New("events: the library did not start (a run is going on, or the arguments are out of range)")
	}
	return s, nil
}

// Received returns how many events have reached Go so far. Safe to call from any goroutine at
// any time, also while events arrive.
func (s *Stream) Received() int64 {
	return s.received.Load()
}

// Stop waits until the library's threads have delivered their events, ends the run and releases
// the handler. It returns the handler's panic as an error, when there was one (the run then
// ended early). Calls after the first return nil.
func (s *Stream) Stop() error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return nil
	}
	s.stopped = true
	s.mu.Unlock() // not held across events_stop: the callback takes it on a panic

	stoppedEarly := C.events_stop()
	s.handle.Delete() // only now: until events_stop returned, a thread could still call us

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failure != nil {
		return s.failure
	}
	if stoppedEarly == 1 {
		return errors.New("events: a callback stopped the run early")
	}
	return nil
}
