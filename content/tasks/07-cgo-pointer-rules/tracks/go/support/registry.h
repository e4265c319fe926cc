/* registry: a tiny C library that keeps one value now and hands it back to Go later, the way C
 * libraries keep a "user data" value next to a callback. Include it in main.go's preamble. */
#ifndef REGISTRY_H
#define REGISTRY_H

#include <stdint.h>

/* Keeps an integer token (for example a cgo.Handle) until registry_fire. */
void registry_keep(uintptr_t token);

/* Keeps a pointer until registry_fire, which passes it on as an integer. Whether Go may call this
 * depends on what p points to: that is what this task is about. */
void registry_keep_pointer(void *p);

/* Calls the Go function registryVisit with the value kept last, prints and returns its result
 * (-1 when nothing was kept). */
int registry_fire(void);

/* Written in Go: main.go must export it with //export registryVisit. */
extern int registryVisit(uintptr_t token);

#endif
