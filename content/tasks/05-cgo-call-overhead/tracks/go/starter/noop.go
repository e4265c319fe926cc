// Package noop holds the two do-nothing functions that noop_test.go benchmarks.
package noop

// TODO: a C function that does nothing, void cnoop(void) {}, in the cgo preamble: a comment
// directly above import "C" (no blank line in between).

// CgoNoop must cross into C and back: call C.cnoop() here.
// A _test.go file cannot use cgo itself, so the benchmark calls C through this wrapper.
func CgoNoop() {
	// TODO
}

// GoNoop is an ordinary Go call that does nothing.
// TODO: stop the compiler from inlining it (a //go:noinline directive in this comment), or the
// benchmark times an empty loop instead of a call.
func GoNoop() {}
