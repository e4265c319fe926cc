package noop

import (
	"testing"
	"time"
)

// Times a million calls of each by hand and logs the averages.
func TestCallOverhead(t *testing.T) {
	const n = 1000000
	start := time.Now()
	for i := 0; i < n; i++ {
		CgoNoop()
	}
	cgo := time.Since(start)
	start = time.Now()
	for i := 0; i < n; i++ {
		GoNoop()
	}
	native := time.Since(start)
	t.Logf("cgo: %.1f ns/call, Go: %.1f ns/call",
		float64(cgo.Nanoseconds())/n, float64(native.Nanoseconds())/n)
}
