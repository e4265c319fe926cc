// The checker's hidden driver for task 11 (cgo track). It calls the student's package upcall and
// writes what it observed, one JSON object a line, to the checker's channel (FFILAB_CHANNEL_FD).
// check.py judges; this program only reports. Usage: driver SCENARIO...
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"upcall"
)

var channel *os.File

// send writes one JSON object: pairs of key, value (string, bool, int, []int32, nil).
func send(pairs ...any) {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(pairs); i += 2 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(pairs[i].(string)))
		b.WriteString(": ")
		b.WriteString(value(pairs[i+1]))
	}
	b.WriteString("}\n")
	if channel != nil {
		channel.WriteString(b.String())
	}
}

// say prints a line for the student to read (the checker does not read it).
func say(format string, args ...any) {
	fmt.Printf("driver: "+format+"\n", args...)
}

func value(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return quote(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int32:
		return strconv.Itoa(int(x))
	case uintptr:
		return strconv.FormatUint(uint64(x), 10)
	case error:
		if x == nil {
			return "null"
		}
		return quote(x.Error())
	case []int32:
		parts := make([]string, len(x))
		for i, n := range x {
			parts[i] = strconv.Itoa(int(n))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return quote(fmt.Sprint(v))
}

func quote(s string) string {
	if len(s) > 6000 {
		s = s[:6000] + "..."
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f || r == 0xfffd:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// guarded runs f and returns the panic that reached the driver (nil when none did). The panic's
// text and the stack it came from go to the checker, which shows them to the student.
func guarded(f func()) (panicked any) {
	defer func() {
		if r := recover(); r != nil {
			panicked = r
			send("panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	f()
	return nil
}

func errText(err error) any {
	if err == nil {
		return nil
	}
	return err.Error()
}

func panicText(p any) any {
	if p == nil {
		return nil
	}
	return fmt.Sprint(p)
}

// -- order: every element, in order ------------------------------------------------------------

func scenarioOrder() {
	long := make([]int32, 1000)
	for i := range long {
		long[i] = int32((i*7919)%2003 - 1000)
	}
	cases := [][]int32{{42}, {5, -3, 0, 2147483647, -2147483648, 7}, long, {}}
	for i, xs := range cases {
		var got []int32
		var err error
		send("scenario", "order", "phase", "calling", "case", i, "n", len(xs))
		p := guarded(func() {
			err = upcall.ForEach(xs, func(x int32) { got = append(got, x) })
		})
		mismatch := -1
		for j := 0; j < len(xs) || j < len(got); j++ {
			if j >= len(xs) || j >= len(got) || xs[j] != got[j] {
				mismatch = j
				break
			}
		}
		show := func(s []int32) []int32 {
			if mismatch < 0 {
				return nil
			}
			lo, hi := max(0, mismatch-2), min(len(s), mismatch+3)
			if lo >= hi {
				return []int32{}
			}
			return s[lo:hi]
		}
		if p == nil {
			say("ForEach over %d element(s): fn was called %d time(s), error %v", len(xs), len(got), err)
		}
		send("scenario", "order", "case", i, "n", len(xs), "calls", len(got), "mismatch", mismatch,
			"expected", show(xs), "got", show(got), "err", errText(err), "panic", panicText(p))
	}
}

// -- stored: C keeps the callback and calls it after Register returned ---------------------------

type recorder struct {
	mu  sync.Mutex
	got []int32
}

func (r *recorder) add(x int32) {
	r.mu.Lock()
	r.got = append(r.got, x)
	r.mu.Unlock()
}

func (r *recorder) take() []int32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	got := r.got
	r.got = nil
	if got == nil {
		got = []int32{}
	}
	return got
}

// register hands Register a fresh closure that only the registration keeps alive afterwards.
//
//go:noinline
func register(r *recorder, offset int32) any {
	state := &struct {
		offset int32
		pad    [256]byte
	}{offset: offset}
	return guarded(func() { upcall.Register(func(x int32) { r.add(x + state.offset) }) })
}

var sink [][]byte

func churn() {
	// Garbage that reuses freed memory if anything of the closures was collected.
	for i := 0; i < 2000; i++ {
		sink = append(sink, make([]byte, 256))
		if len(sink) > 500 {
			sink = sink[:0]
		}
	}
	runtime.GC()
	runtime.GC()
}

func fire(name string, r *recorder, x int32) {
	var err error
	p := guarded(func() { err = upcall.Fire(x) })
	got := r.take()
	if p == nil {
		say("%s: Fire(%d) -> the callback got %v, error %v", name, x, got, err)
	}
	send("scenario", "stored", "step", name, "x", x, "got", got, "err", errText(err),
		"panic", panicText(p))
}

func scenarioStored() {
	r := &recorder{}
	send("scenario", "stored", "phase", "calling", "step", "register")
	p := register(r, 0)
	send("scenario", "stored", "step", "register", "panic", panicText(p))
	if p != nil {
		return
	}
	churn()
	fire("fire after GC", r, 10)
	churn()
	fire("fire again", r, 20)
	send("scenario", "stored", "phase", "calling", "step", "register again")
	p = register(r, 1000)
	send("scenario", "stored", "step", "register again", "panic", panicText(p))
	if p != nil {
		return
	}
	churn()
	fire("fire the replacement (it adds 1000)", r, 30)
	p = guarded(upcall.Unregister)
	send("scenario", "stored", "step", "unregister", "panic", panicText(p))
	fire("fire after unregister", r, 40)
}

// -- handles: every call's userdata resolves to that call's own callback --------------------------

func scenarioHandles() {
	const goroutines, calls = 4, 200
	var wrong, missing, errs, panics atomic.Int32
	var firstProblem atomic.Value
	note := func(s string) { firstProblem.CompareAndSwap(nil, s) }
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := 0; k < calls; k++ {
				base := int32(g*100000 + k*10)
				xs := []int32{base, base + 1, base + 2}
				seen := 0
				var err error
				p := guarded(func() {
					err = upcall.ForEach(xs, func(x int32) {
						if x < base || x > base+2 {
							wrong.Add(1)
							note(fmt.Sprintf("the callback of a call with [%d %d %d] got %d, an element of another call", base, base+1, base+2, x))
							return
						}
						seen++
					})
				})
				if p != nil {
					panics.Add(1)
					note(fmt.Sprintf("ForEach panicked: %v", p))
				} else if err != nil {
					errs.Add(1)
					note(fmt.Sprintf("ForEach returned an error: %v", err))
				}
				if seen != len(xs) {
					missing.Add(1)
				}
			}
		}(g)
	}
	wg.Wait()
	// Two ForEach calls that certainly overlap: each callback waits, at every element, until the
	// other call's callback has got its element of the same rank. Whatever state the binding
	// shares between calls gets overwritten while both are inside C.
	lockWrong, lockMissing := lockstep()
	// A callback that starts another ForEach: the inner call needs a handle of its own.
	var outer, inner []int32
	var innerErr, outerErr error
	p := guarded(func() {
		outerErr = upcall.ForEach([]int32{1, 2}, func(x int32) {
			outer = append(outer, x)
			innerErr = upcall.ForEach([]int32{x * 10, x*10 + 1}, func(y int32) { inner = append(inner, y) })
		})
	})
	problem, _ := firstProblem.Load().(string)
	say("%d ForEach calls from %d goroutines at once: %d callbacks reached another call's fn, %d calls missed elements",
		goroutines*calls, goroutines, wrong.Load(), missing.Load())
	say("two ForEach calls in lockstep: %d callbacks reached the other call's fn", lockWrong)
	say("a ForEach inside a callback: outer fn got %v, inner fn got %v", outer, inner)
	send("scenario", "handles", "goroutines", goroutines, "calls", goroutines*calls,
		"wrong", int(wrong.Load()), "missing", int(missing.Load()), "errors", int(errs.Load()),
		"panics", int(panics.Load()), "problem", problem,
		"lockstep_wrong", lockWrong, "lockstep_missing", lockMissing,
		"outer", outer, "inner", inner, "inner_err", errText(innerErr), "outer_err", errText(outerErr),
		"nested_panic", panicText(p))
}

// lockstep runs ForEach([1 2 3]) and ForEach([101 102 103]) at the same time, each callback
// waiting (at most half a second) for the other call to reach the same rank. It returns how many
// callbacks got an element of the other call, and how many elements never reached their fn.
func lockstep() (wrong, missing int) {
	var at [2][3]chan struct{}
	for i := range at {
		for j := range at[i] {
			at[i][j] = make(chan struct{})
		}
	}
	var mu sync.Mutex
	got := [2]int{}
	var wg sync.WaitGroup
	for side := 0; side < 2; side++ {
		wg.Add(1)
		go func(side int) {
			defer wg.Done()
			base := int32(1 + 100*side)
			guarded(func() {
				_ = upcall.ForEach([]int32{base, base + 1, base + 2}, func(x int32) {
					rank := int(x - base)
					if rank < 0 || rank > 2 {
						mu.Lock()
						wrong++
						mu.Unlock()
						return
					}
					mu.Lock()
					got[side]++
					mu.Unlock()
					close(at[side][rank])
					select {
					case <-at[1-side][rank]:
					case <-time.After(500 * time.Millisecond):
					}
				})
			})
		}(side)
	}
	wg.Wait()
	return wrong, 6 - got[0] - got[1]
}

// -- panic: a panicking callback, recovered at the boundary ----------------------------------------
// No recover here: a panic that gets through the student's code kills the program, as it would in
// any program that uses the binding.

type planned string

func scenarioPanic() {
	var got []int32
	send("scenario", "panic", "phase", "calling", "step", "for_each")
	err := upcall.ForEach([]int32{1, 2, 3, 4, 5}, func(x int32) {
		got = append(got, x)
		if x == 3 {
			panic(planned("the callback panics on purpose at 3"))
		}
	})
	say("ForEach([1 2 3 4 5]) with a fn that panics at 3: fn got %v, ForEach returned %v", got, err)
	send("scenario", "panic", "step", "for_each", "got", got, "err", errText(err))

	got = nil
	err = upcall.ForEach([]int32{6, 7}, func(x int32) { got = append(got, x) })
	send("scenario", "panic", "step", "for_each after", "got", got, "err", errText(err))

	r := &recorder{}
	send("scenario", "panic", "phase", "calling", "step", "register")
	upcall.Register(func(x int32) {
		r.add(x)
		if x == 13 {
			panic(planned("the stored callback panics on purpose at 13"))
		}
	})
	for _, x := range []int32{12, 13, 14} {
		send("scenario", "panic", "phase", "calling", "step", "fire", "x", x)
		err := upcall.Fire(x)
		say("Fire(%d) with a stored fn that panics at 13: returned %v", x, err)
		send("scenario", "panic", "step", "fire", "x", x, "got", r.take(), "err", errText(err))
	}
	upcall.Unregister()
	send("scenario", "panic", "step", "done")
}

// -- release: handles are deleted once C is done with them -----------------------------------------

func scenarioRelease() {
	var forEachFreed, registerFreed atomic.Int32
	const forEachCalls, registrations = 100, 10
	perr := guarded(func() {
		for i := 0; i < forEachCalls; i++ {
			useOnce(&forEachFreed)
		}
		for i := 0; i < registrations; i++ {
			registerOnce(&registerFreed)
		}
		upcall.Unregister()
	})
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		runtime.GC()
		if forEachFreed.Load() == forEachCalls && registerFreed.Load() == registrations {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	say("after the GC: %d of %d ForEach callbacks and %d of %d replaced or unregistered callbacks were released",
		forEachFreed.Load(), forEachCalls, registerFreed.Load(), registrations)
	send("scenario", "release", "for_each_calls", forEachCalls, "for_each_freed", int(forEachFreed.Load()),
		"registrations", registrations, "register_freed", int(registerFreed.Load()), "panic", panicText(perr))
}

type token struct{ pad [128]byte }

//go:noinline
func useOnce(freed *atomic.Int32) {
	t := &token{}
	runtime.SetFinalizer(t, func(*token) { freed.Add(1) })
	_ = upcall.ForEach([]int32{1}, func(x int32) { t.pad[0] = byte(x) })
}

//go:noinline
func registerOnce(freed *atomic.Int32) {
	t := &token{}
	runtime.SetFinalizer(t, func(*token) { freed.Add(1) })
	upcall.Register(func(x int32) { t.pad[0] = byte(x) })
}

func main() {
	if fd, err := strconv.Atoi(os.Getenv("FFILAB_CHANNEL_FD")); err == nil {
		channel = os.NewFile(uintptr(fd), "channel")
	}
	probe := new(token)
	send("driver", "start", "go_heap", uintptr(unsafe.Pointer(probe)))
	for _, name := range os.Args[1:] {
		switch name {
		case "order":
			scenarioOrder()
		case "stored":
			scenarioStored()
		case "handles":
			scenarioHandles()
		case "panic":
			scenarioPanic()
		case "release":
			scenarioRelease()
		default:
			fmt.Fprintln(os.Stderr, "driver: unknown scenario", name)
			os.Exit(2)
		}
		send("scenario", name, "phase", "done")
	}
}
