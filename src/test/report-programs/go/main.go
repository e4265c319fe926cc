package main

/*
#include <stdint.h>
#include <stdlib.h>

struct node { int value; struct node *next; };

static int sum_list(struct node *n) {
	int total = 0;
	for (; n != NULL; n = n->next)
		total += n->value;
	return total;
}

static int read_null(int *p) {
	return *p;
}

static void keep(void *p) {
	(void)p;
}

static void noop(void) {}
*/
import "C"

import (
	"fmt"
	"os"
	"sync"
	"unsafe"
)

type holder struct {
	data *int
}

func passGoPointer() {
	x := 42
	h := &holder{data: &x}
	// wrong: the struct passed to C holds a Go pointer
	C.keep(unsafe.Pointer(h))
}

func sumNodes() int {
	second := &C.struct_node{value: 2}
	first := &C.struct_node{value: 1, next: second}
	return int(C.sum_list(first))
}

func sumNodesC() int {
	nodes := (*[2]C.struct_node)(C.malloc(C.size_t(unsafe.Sizeof(C.struct_node{})) * 2))
	defer C.free(unsafe.Pointer(nodes))
	nodes[0] = C.struct_node{value: 1, next: &nodes[1]}
	nodes[1] = C.struct_node{value: 2}
	return int(C.sum_list(&nodes[0]))
}

func crashInC() {
	fmt.Println(C.read_null(nil))
}

func cNoop() { C.noop() }

var counter int

func race() {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				counter++
			}
			fmt.Println("worker", id, "done")
		}(i)
	}
	wg.Wait()
	fmt.Println("counter", counter)
}

func deadlock() {
	ch := make(chan int)
	ch <- 1
}

func main() {
	switch os.Args[1] {
	case "pointer":
		passGoPointer()
	case "nodes":
		fmt.Println(sumNodes())
	case "crash":
		crashInC()
	case "race":
		race()
	case "deadlock":
		deadlock()
	}
}
