package main

/*
#include "registry.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Config holds two Go pointers: Name points at a Go string, and Tags' backing array is Go memory.
type Config struct {
	Name *string
	Tags []string
}

// registryVisit is called by the C registry (registry_fire) with the value it kept.
//
//export registryVisit
func registryVisit(token C.uintptr_t) C.int {
	// TODO: turn the token back into the *Config with cgo.Handle(token).Value() (import
	// "runtime/cgo"), print its name, and return the number of tags as a C.int.
	return 0
}

func main() {
	name := "gopher"
	cfg := &Config{Name: &name, Tags: []string{"cgo", "handle", "pointer"}}

	// Step 1: run the program as it is. This line hands C the address of a Go struct whose
	// fields point at more Go memory; read what the runtime says about it.
	// TODO step 2: pass C an integer instead: h := cgo.NewHandle(cfg), then
	// C.registry_keep(C.uintptr_t(h)), and h.Delete() once C is done with it.
	C.registry_keep_pointer(unsafe.Pointer(cfg))

	n := C.registry_fire()
	fmt.Printf("C says the config has %d tags\n", int(n))
}
