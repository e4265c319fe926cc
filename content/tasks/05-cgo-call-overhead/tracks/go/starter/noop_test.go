package noop

// TODO: two benchmarks with the testing.B harness (import "testing"):
//
//	BenchmarkCgoNoop(b *testing.B) calls CgoNoop() b.N times
//	BenchmarkGoNoop(b *testing.B)  calls GoNoop() b.N times
//
// Let the harness do the timing: no time.Now() in here.
