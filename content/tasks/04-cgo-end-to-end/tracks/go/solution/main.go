package main

// int csquare(int x) { return x * x; }
import "C"

import "fmt"

func main() {
	x := 7
	result := int(C.csquare(C.int(x)))
	fmt.Printf("csquare(%d) = %d\n", x, result)
}
