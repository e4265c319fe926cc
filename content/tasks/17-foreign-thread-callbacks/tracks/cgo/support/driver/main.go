// The checker's hidden driver for task 17 (cgo track). It starts streams of the student's
// package events, with handlers of its own, and writes what it observed, one JSON object a
// line, to the checker's channel (FFILAB_CHANNEL_FD). check.py judges; this program only
// reports. Usage: driver SCENARIO...
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
	"syscall"
	"time"

	"events"
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

// -- what a handler saw ---------------------------------------------------------------------------

// tally is a handler's record of the events it got. Everything in it is safe for the library's
// threads to update while the driver reads it.
type tally struct {
	threads    int
	count      int
	calls      atomic.Int64
	perThread  []atomic.Int64 // events per library thread
	next       []atomic.Int64 // the seq each thread should send next
	outOfOrder atomic.Int64
	badThread  atomic.Int64
	mu         sync.Mutex
	tids       map[int]bool
}

func newTally(threads, count int) *tally {
	return &tally{threads: threads, count: count, perThread: make([]atomic.Int64, threads),
		next: make([]atomic.Int64, threads), tids: map[int]bool{}}
}

func (t *tally) handle(e events.Event) {
	t.calls.Add(1)
	if e.Source < 0 || e.Source >= t.threads {
		t.badThread.Add(1)
		return
	}
	t.perThread[e.Source].Add(1)
	if t.next[e.Source].Swap(int64(e.Seq)+1) != int64(e.Seq) {
		t.outOfOrder.Add(1)
	}
	tid := syscall.Gettid()
	t.mu.Lock()
	t.tids[tid] = true
	t.mu.Unlock()
}

func (t *tally) wrongCounts() []int32 {
	var wrong []int32
	for i := range t.perThread {
		if t.perThread[i].Load() != int64(t.count) {
			wrong = append(wrong, int32(i))
		}
	}
	if wrong == nil {
		wrong = []int32{}
	}
	return wrong
}

// goThreads lists the threads of this process now: before a stream starts, they are all the
// Go runtime's own.
func goThreads() map[int]bool {
	found := map[int]bool{}
	entries, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return found
	}
	for _, e := range entries {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			found[tid] = true
		}
	}
	return found
}

// run starts a stream with handler h, lets poll watch it, and stops it; it reports every step.
func run(scenario string, threads, count int, h func(events.Event), poll func(*events.Stream)) (stopErr error, received int64, ok bool) {
	send("scenario", scenario, "phase", "calling", "step", "Start")
	var s *events.Stream
	var err error
	if p := guarded(func() { s, err = events.Start(threads, count, h) }); p != nil {
		send("scenario", scenario, "step", "Start", "panic", panicText(p))
		return nil, 0, false
	}
	if err != nil || s == nil {
		send("scenario", scenario, "step", "Start", "err", errText(err), "nil_stream", s == nil)
		return nil, 0, false
	}
	if poll != nil {
		poll(s)
	}
	send("scenario", scenario, "phase", "calling", "step", "Stop")
	if p := guarded(func() { stopErr = s.Stop() }); p != nil {
		send("scenario", scenario, "step", "Stop", "panic", panicText(p))
		return nil, 0, false
	}
	received = s.Received()
	return stopErr, received, true
}

// -- threads: callbacks from threads the library created -------------------------------------

func scenarioThreads() {
	const threads, count = 3, 5
	before := goThreads()
	t := newTally(threads, count)
	stopErr, received, ok := run("threads", threads, count, t.handle, nil)
	foreign, known := 0, 0
	t.mu.Lock()
	for tid := range t.tids {
		if before[tid] {
			known++
		} else {
			foreign++
		}
	}
	t.mu.Unlock()
	say("%d library threads x %d events: the handler got %d events, on %d threads the library created (%d Go's own)",
		threads, count, t.calls.Load(), foreign, known)
	send("scenario", "threads", "ok", ok, "threads", threads, "count", count, "calls", int(t.calls.Load()),
		"wrong_counts", t.wrongCounts(), "out_of_order", int(t.outOfOrder.Load()),
		"bad_thread", int(t.badThread.Load()), "foreign_tids", foreign, "go_tids", known,
		"received", int(received), "stop_err", errText(stopErr))
}

// -- stress: thousands of callbacks from several threads, while another goroutine watches -------

func scenarioStress(threads, count int) {
	t := newTally(threads, count)
	total := int64(threads * count)
	var polls, backwards int64
	start := time.Now()
	poll := func(s *events.Stream) {
		// Another goroutine watches the progress, as a program's UI would, until everything has
		// arrived or nothing has moved for half a second (then Stop has the last word).
		last, moved := int64(0), time.Now()
		for time.Since(moved) < 500*time.Millisecond {
			n := s.Received()
			polls++
			if n < last {
				backwards++
			}
			if n != last {
				moved = time.Now()
			}
			last = n
			if n >= total {
				break
			}
			time.Sleep(200 * time.Microsecond)
		}
	}
	stopErr, received, ok := run("stress", threads, count, t.handle, poll)
	elapsed := time.Since(start)
	say("%d library threads x %d events = %d: the handler got %d, Received() says %d, Stop() returned %v (%.0f ms)",
		threads, count, total, t.calls.Load(), received, stopErr, float64(elapsed.Microseconds())/1000)
	send("scenario", "stress", "ok", ok, "threads", threads, "count", count, "total", int(total),
		"calls", int(t.calls.Load()), "wrong_counts", t.wrongCounts(),
		"out_of_order", int(t.outOfOrder.Load()), "bad_thread", int(t.badThread.Load()),
		"received", int(received), "stop_err", errText(stopErr), "polls", int(polls), "backwards", int(backwards),
		"tids", len(t.tids), "ms", int(elapsed.Milliseconds()), "us", int(elapsed.Microseconds()))
}

// -- panic: a handler that panics on some events --------------------------------------------------
// No recover here: a panic that gets through the student's code kills the program.

type planned string

func scenarioPanic() {
	const threads, count = 2, 50
	var calls, panics atomic.Int64
	h := func(e events.Event) {
		calls.Add(1)
		if e.Source == 1 && e.Seq == 7 {
			panics.Add(1)
			panic(planned("the handler panics on purpose at source 1, event 7"))
		}
	}
	stopErr, received, ok := run("panic", threads, count, h, nil)
	say("a handler that panics at source 1, event 7: %d calls, %d panic(s), Stop() returned %v",
		calls.Load(), panics.Load(), stopErr)
	send("scenario", "panic", "ok", ok, "calls", int(calls.Load()), "panics", int(panics.Load()),
		"stop_err", errText(stopErr), "received", int(received), "total", threads*count)
	if !ok {
		return
	}
	// The next run must work as if nothing had happened.
	t := newTally(2, 20)
	stopErr, received, ok = run("panic", 2, 20, t.handle, nil)
	say("the next run, 2 x 20 events: the handler got %d, Stop() returned %v", t.calls.Load(), stopErr)
	send("scenario", "panic", "step", "next run", "ok", ok, "calls", int(t.calls.Load()),
		"wrong_counts", t.wrongCounts(), "stop_err", errText(stopErr), "received", int(received))
}

// -- release: the handle is deleted by Stop ----------------------------------------------------------

type token struct{ pad [128]byte }

//go:noinline
func oneStream(freed *atomic.Int32) bool {
	t := &token{}
	runtime.SetFinalizer(t, func(*token) { freed.Add(1) })
	s, err := events.Start(2, 10, func(e events.Event) { t.pad[0] = byte(e.Seq) })
	if err != nil || s == nil {
		return false
	}
	_ = s.Stop()
	return true
}

func scenarioRelease() {
	const streams = 20
	var freed atomic.Int32
	started := 0
	p := guarded(func() {
		for i := 0; i < streams; i++ {
			if oneStream(&freed) {
				started++
			}
		}
	})
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && freed.Load() < int32(started) {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	say("after the GC: %d of %d stopped streams were released", freed.Load(), started)
	send("scenario", "release", "streams", streams, "started", started, "freed", int(freed.Load()),
		"panic", panicText(p))
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

func main() {
	if fd, err := strconv.Atoi(os.Getenv("FFILAB_CHANNEL_FD")); err == nil {
		channel = os.NewFile(uintptr(fd), "channel")
	}
	for _, name := range os.Args[1:] {
		switch name {
		case "threads":
			scenarioThreads()
		case "stress":
			scenarioStress(8, 2500)
		case "stress-race":
			scenarioStress(4, 2500)
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
