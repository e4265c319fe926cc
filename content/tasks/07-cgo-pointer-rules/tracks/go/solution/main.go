package main

/*
#include "registry.h"
*/
import "C"

import (
	"fmt"
	"runtime/cgo"
)

// Config holds two Go pointers: Name points at a Go string, and Tags' backing array is Go memory.
type Config struct {
	Name *string
	Tags []string
}

// registryVisit is called by the C registry (registry_fire) with the token it kept.
//
//export registryVisit
func registryVisit(token C.uintptr_t) C.int {
	cfg := cgo.Handle(token).Value().(*Config)
	fmt.Printf("Go: token %d is %s with %d tags\n", uintptr(token), *cfg.Name, len(cfg.Tags))
	return C.int(len(cfg.Tags))
}

func main() {
	name := "gopher"
	cfg := &Config{Name: &name, Tags: []string{"cgo", "handle", "pointer"}}

	// C gets an integer that stands for cfg; cfg itself never leaves Go memory.
	h := cgo.NewHandle(cfg)
	defer h.Delete() // once C no longer holds the token, or the Config stays reachable forever

	C.registry_keep(C.uintptr_t(h))

	n := C.registry_fire()
	fmt.Printf("C says the config has %d tags\n", int(n))
}
