package main

// TODO: write the C preamble here, as a comment directly above `import "C"`:
//
//	int csquare(int x) { return x * x; }
//
// then add `import "C"` on the very next line (no blank line between the comment and the import).

import "fmt"

func main() {
	x := 7
	// TODO: call C.csquare. Convert x to a C int on the way in (C.int(x)) and the C result back
	// to a Go int on the way out (int(...)).
	result := 0
	fmt.Printf("csquare(%d) = %d\n", x, result)
}
