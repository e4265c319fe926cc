package main

import "testing"

func TestRace(t *testing.T) {
	race()
	if counter != 4000 {
		t.Errorf("counter = %d, want 4000", counter)
	}
}
