// Package noop holds the two do-nothing functions that noop_test.go benchmarks.
package noop

// void cnoop(void) {}
import "C"

// CgoNoop crosses into C and back; the C function does no work at all.
// (A _test.go file cannot use cgo itself, so the benchmark calls C through this wrapper.)
func CgoNoop() {
	C.cnoop()
}

// GoNoop is an ordinary Go call that does nothing. Without the directive the compiler would
// inline the empty body, and the benchmark would time an empty loop instead of a call.
//
//go:noinline
func GoNoop() {}
