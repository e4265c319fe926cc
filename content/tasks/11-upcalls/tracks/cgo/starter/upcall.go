// Package upcall binds libupcall (upcall.h): C calls Go back, once per element of a slice, and
// later through a callback it keeps.
package upcall

/*
#include <stdint.h>
#include "upcall.h"

// TODO 1: declare the Go function you export below, the way cgo's _cgo_export.h declares it:
//     int goUpcall(uintptr_t handle, int value);
// TODO 2: C can only call a C function. Write a static trampoline with libupcall's callback
// type, int (void *userdata, int value), that passes userdata on to goUpcall as a uintptr_t.
// TODO 3: Go cannot take the address of a static C function, so also write small static
// helpers that call for_each_ud and register_cb_ud with the trampoline and a handle:
//     static int for_each_handle(const int *xs, int n, uintptr_t handle) { ... (void *)handle ... }
*/
import "C"

import "errors"

// goUpcall is what C calls back, once per value, with the userdata it was given.
//
// TODO 4: look up what the handle stands for (cgo.Handle(handle).Value(), package runtime/cgo),
// call its fn, and return C.UPCALL_OK. If fn panics, recover here: remember the panic, and
// return C.UPCALL_FAILED so that C stops. A panic must never unwind through C's frames.
//
//export goUpcall
func goUpcall(handle C.uintptr_t, value C.int) C.int {
	return C.UPCALL_FAILED
}

// ForEach has C call fn(x) for every element of xs, in order (libupcall's for_each_ud). When fn
// panics, C stops there and ForEach returns the panic as an error.
//
// TODO 5: make a cgo.Handle for fn (and a place to keep its panic), pass it to C as the
// userdata, and delete it when for_each_ud has returned. An empty xs has no &xs[0].
func ForEach(xs []int32, fn func(x int32)) error {
	return errors.New("upcall: ForEach is not written yet")
}

// Register has C keep fn (register_cb_ud) and call it on every later Fire, long after Register
// has returned. It replaces, and releases, a callback registered before.
//
// TODO 6: C keeps the userdata: give it a handle, never a Go pointer, and keep the handle alive
// (do not delete it) until C has been given another one or has forgotten it.
func Register(fn func(x int32)) {
}

// Fire has C call the registered callback with x (libupcall's fire). It returns an error when
// nothing is registered or the callback panicked.
func Fire(x int32) error {
	return errors.New("upcall: Fire is not written yet")
}

// Unregister has C forget the callback (register_cb_ud(NULL, NULL)), then releases it.
func Unregister() {
}
