// Package upcall binds libupcall (upcall.h): C calls Go back, once per element of a slice, and
// later through a callback it keeps.
package upcall

/*
#include <stdint.h>
#include "upcall.h"

// goUpcall is the Go function exported below (cgo declares it in _cgo_export.h as well).
int goUpcall(uintptr_t handle, int value);

// C can only call a C function. The trampoline is one: it gets the userdata C kept and passes
// it on to Go as the integer it really is, a cgo.Handle.
static int upcall_trampoline(void *userdata, int value) {
	return goUpcall((uintptr_t)userdata, value);
}

// The handle crosses into C as an integer and becomes C's void *userdata here, in C. Go never
// holds an unsafe.Pointer that is not a real pointer, and C may keep an integer for as long as
// it likes: nothing in it points into Go's heap.
static int for_each_handle(const int *xs, int n, uintptr_t handle) {
	return for_each_ud(xs, n, upcall_trampoline, (void *)handle);
}

// cgo's documentation shows this way for a void * parameter: pass the address of the handle.
static int address_trampoline(void *userdata, int value) {
	return goUpcall(*(uintptr_t *)userdata, value);
}

static void register_handle_address(uintptr_t *handle) {
	register_cb_ud(address_trampoline, handle);
}

static void unregister(void) {
	register_cb_ud(NULL, NULL);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime/cgo"
	"sync"
	"unsafe"
)

// callback is what a handle stands for: the Go function, and the panic it raised, if any.
type callback struct {
	fn  func(x int32)
	err error
}

// goUpcall runs on every call C makes. A panic must never unwind into C's frames (C would be
// left half-way through its loop, its locks held, its cleanup skipped): recover it here and tell
// C to stop with a status.
//
//export goUpcall
func goUpcall(handle C.uintptr_t, value C.int) (status C.int) {
	var cb *callback
	defer func() {
		if r := recover(); r != nil {
			if cb != nil {
				cb.err = fmt.Errorf("upcall: the callback panicked on %d: %v", int32(value), r)
			}
			status = C.UPCALL_FAILED
		}
	}()
	cb = cgo.Handle(handle).Value().(*callback) // inside the recover too: a bad handle panics
	cb.fn(int32(value))
	return C.UPCALL_OK
}

// ForEach has C call fn(x) for every element of xs, in order. When fn panics, C stops there and
// ForEach returns the panic as an error.
func ForEach(xs []int32, fn func(x int32)) error {
	if len(xs) == 0 {
		return nil // &xs[0] would panic, and C has nothing to call fn for
	}
	cb := &callback{fn: fn}
	h := cgo.NewHandle(cb)
	defer h.Delete() // for_each_ud keeps nothing: the handle is done with when it returns
	// xs is Go memory with no Go pointers in it, and C reads it only during the call: allowed.
	status := C.for_each_handle((*C.int)(unsafe.Pointer(&xs[0])), C.int(len(xs)), C.uintptr_t(h))
	if status != C.UPCALL_OK {
		if cb.err != nil {
			return cb.err
		}
		return fmt.Errorf("upcall: for_each stopped with status %d", int(status))
	}
	return nil
}

var (
	mu         sync.Mutex
	registered cgo.Handle // 0: nothing registered
)

// Register has C keep fn and call it on every later Fire, long after Register has returned. It
// replaces, and releases, a callback registered before.
func Register(fn func(x int32)) {
	mu.Lock()
	defer mu.Unlock()
	h := cgo.NewHandle(&callback{fn: fn})
	// &h points to Go memory without Go pointers in it, so the cgo check lets it through. But C
	// keeps that address after Register returns.
	C.register_handle_address((*C.uintptr_t)(unsafe.Pointer(&h)))
	if registered != 0 {
		registered.Delete() // C holds the new handle now, never the old one again
	}
	registered = h
}

// Fire has C call the registered callback with x. It returns an error when nothing is
// registered or the callback panicked.
func Fire(x int32) error {
	mu.Lock()
	defer mu.Unlock()
	if registered == 0 {
		return errors.New("upcall: no callback is registered")
	}
	cb := registered.Value().(*callback)
	cb.err = nil
	if status := C.fire(C.int(x)); status != C.UPCALL_OK {
		if cb.err != nil {
			return cb.err
		}
		return fmt.Errorf("upcall: fire returned status %d", int(status))
	}
	return nil
}

// Unregister has C forget the callback, then releases it.
func Unregister() {
	mu.Lock()
	defer mu.Unlock()
	C.unregister()
	if registered != 0 {
		registered.Delete()
		registered = 0
	}
}
