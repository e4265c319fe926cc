// Package upcall binds libupcall (upcall.h): C calls Go back, once per element of a slice, and
// later through a callback it keeps.
//
// This version skips the handle table for the stored callback: C gets the *callback itself.
package upcall

/*
#include <stdint.h>
#include "upcall.h"

int goUpcall(uintptr_t handle, int value);
int goUpcallPointer(void *cb, int value);

static int upcall_trampoline(void *userdata, int value) {
	return goUpcall((uintptr_t)userdata, value);
}

static int pointer_trampoline(void *userdata, int value) {
	return goUpcallPointer(userdata, value);
}

static int for_each_handle(const int *xs, int n, uintptr_t handle) {
	return for_each_ud(xs, n, upcall_trampoline, (void *)handle);
}

static void register_pointer(void *cb) {
	register_cb_ud(pointer_trampoline, cb);
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

type callback struct {
	fn  func(x int32)
	err error
}

func call(cb *callback, value C.int) (status C.int) {
	defer func() {
		if r := recover(); r != nil {
			cb.err = fmt.Errorf("upcall: the callback panicked on %d: %v", int32(value), r)
			status = C.UPCALL_FAILED
		}
	}()
	cb.fn(int32(value))
	return C.UPCALL_OK
}

//export goUpcall
func goUpcall(handle C.uintptr_t, value C.int) C.int {
	return call(cgo.Handle(handle).Value().(*callback), value)
}

//export goUpcallPointer
func goUpcallPointer(p unsafe.Pointer, value C.int) C.int {
	return call((*callback)(p), value)
}

func ForEach(xs []int32, fn func(x int32)) error {
	if len(xs) == 0 {
		return nil
	}
	cb := &callback{fn: fn}
	h := cgo.NewHandle(cb)
	defer h.Delete()
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
	registered *callback // keeps the callback alive on the Go side
)

// Register hands C the callback's address: C keeps a Go pointer (to memory that holds another
// Go pointer, fn) after the call returns.
func Register(fn func(x int32)) {
	mu.Lock()
	defer mu.Unlock()
	registered = &callback{fn: fn}
	C.register_pointer(unsafe.Pointer(registered))
}

func Fire(x int32) error {
	mu.Lock()
	defer mu.Unlock()
	if registered == nil {
		return errors.New("upcall: no callback is registered")
	}
	registered.err = nil
	if status := C.fire(C.int(x)); status != C.UPCALL_OK {
		if registered.err != nil {
			return registered.err
		}
		return fmt.Errorf("upcall: fire returned status %d", int(status))
	}
	return nil
}

func Unregister() {
	mu.Lock()
	defer mu.Unlock()
	C.unregister()
	registered = nil
}
