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

// registryVisit is called by the C registry (registry_fire) with the pointer it kept.
//
//export registryVisit
func registryVisit(token C.uintptr_t) C.int {
	cfg := (*Config)(unsafe.Pointer(uintptr(token)))
	fmt.Printf("Go: %s with %d tags\n", *cfg.Name, len(cfg.Tags))
	return C.int(len(cfg.Tags))
}

func main() {
	name := "gopher"
	cfg := &Config{Name: &name, Tags: []string{"cgo", "handle", "pointer"}}

	// Hands C the address of a Go struct whose fields point at more Go memory.
	C.registry_keep_pointer(unsafe.Pointer(cfg))

	n := C.registry_fire()
	fmt.Printf("C says the config has %d tags\n", int(n))
}
