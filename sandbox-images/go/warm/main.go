// A throw-away cgo program, built at image build time only to fill the image's Go build cache
// (plain and -race) with the standard packages the Go tasks use, so that a run in the sandbox
// does not spend 10-20 s compiling the runtime, fmt and testing first.
package main

/*
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>

static int csquare(int x) { return x * x; }
static void cnoop(void) {}
extern int warmCallback(uintptr_t h);
static int call_back(uintptr_t h) { return warmCallback(h); }
*/
import "C"

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"math"
	"os"
	"runtime"
	"runtime/cgo"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

type box struct {
	name *string
	tags []string
}

//export warmCallback
func warmCallback(h C.uintptr_t) C.int {
	b := cgo.Handle(h).Value().(*box)
	return C.int(len(*b.name) + len(b.tags))
}

//go:noinline
func gonoop() {}

func square(x int) int { return int(C.csquare(C.int(x))) }

func noops(n int) {
	for i := 0; i < n; i++ {
		C.cnoop()
		gonoop()
	}
}

func main() {
	name := "warm"
	h := cgo.NewHandle(&box{name: &name, tags: []string{"a"}})
	defer h.Delete()
	var pinner runtime.Pinner
	pinner.Pin(&name)
	defer pinner.Unpin()

	var wg sync.WaitGroup
	var total atomic.Int64
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total.Add(int64(C.call_back(C.uintptr_t(h))))
		}()
	}
	wg.Wait()

	p := C.malloc(16)
	C.free(unsafe.Pointer(p))
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%d %s", square(7), strconv.Itoa(int(total.Load())))
	words := strings.Fields(buf.String())
	sort.Strings(words)
	if len(words) == 0 {
		log.Fatal(errors.New("no output"))
	}
	debug.SetGCPercent(100)
	start := time.Now()
	noops(10)
	fmt.Fprintln(os.Stderr, words, math.Sqrt(2) > 1, time.Since(start) >= 0)
}
