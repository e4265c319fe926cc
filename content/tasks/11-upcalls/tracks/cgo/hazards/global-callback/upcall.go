// Package upcall binds libupcall (upcall.h): C calls Go back, once per element of a slice, and
// later through a callback it keeps.
//
// This version uses the plain for_each, which has no userdata: the exported function finds the
// Go callback in a package-level variable.
package upcall

/*
#include "upcall.h"

int goUpcall(int value);

static int for_each_go(const int *xs, int n) {
	return for_each(xs, n, goUpcall);
}

static void register_go(void) {
	register_cb(goUpcall);
}

static void unregister(void) {
	register_cb(NULL);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"
)

// current is the function C calls back: the one of the ForEach running now, or the registered one.
var (
	current    func(x int32)
	lastErr    error
	registered func(x int32)
)

//export goUpcall
func goUpcall(value C.int) (status C.int) {
	defer func() {
		if r := recover(); r != nil {
			lastErr = fmt.Errorf("upcall: the callback panicked on %d: %v", int32(value), r)
			status = C.UPCALL_FAILED
		}
	}()
	current(int32(value))
	return C.UPCALL_OK
}

func ForEach(xs []int32, fn func(x int32)) error {
	if len(xs) == 0 {
		return nil
	}
	saved := current
	current, lastErr = fn, nil
	defer func() { current = saved }()
	if status := C.for_each_go((*C.int)(unsafe.Pointer(&xs[0])), C.int(len(xs))); status != C.UPCALL_OK {
		return lastErr
	}
	return nil
}

func Register(fn func(x int32)) {
	registered = fn
	C.register_go()
}

func Fire(x int32) error {
	if registered == nil {
		return errors.New("upcall: no callback is registered")
	}
	current, lastErr = registered, nil
	if status := C.fire(C.int(x)); status != C.UPCALL_OK {
		return lastErr
	}
	return nil
}

func Unregister() {
	C.unregister()
	registered = nil
}
