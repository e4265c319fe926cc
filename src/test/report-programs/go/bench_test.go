package main

import (
	"os"
	"testing"
)

//go:noinline
func goNoop() {}

func BenchmarkCgoNoop(b *testing.B) {
	for i := 0; i < b.N; i++ {
		cNoop()
	}
}

func BenchmarkGoNoop(b *testing.B) {
	for i := 0; i < b.N; i++ {
		goNoop()
	}
}

func BenchmarkSum(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(16)
	for i := 0; i < b.N; i++ {
		if os.Getenv("GO_MEMORY") != "" {
			_ = sumNodes() // Go memory holding a Go pointer: cgocheck panics
		} else {
			_ = sumNodesC()
		}
	}
}
