package main

import "testing"

func TestSquare(t *testing.T) {
	if got := square(7); got != 49 {
		t.Fatalf("square(7) = %d", got)
	}
}

func BenchmarkNoops(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		noops(1)
	}
}

func BenchmarkLoop(b *testing.B) {
	for b.Loop() {
		gonoop()
	}
}
