package noop

import "testing"

func BenchmarkCgoNoop(b *testing.B) {
	for i := 0; i < b.N; i++ {
		CgoNoop()
	}
}

func BenchmarkGoNoop(b *testing.B) {
	for i := 0; i < b.N; i++ {
		GoNoop()
	}
}
