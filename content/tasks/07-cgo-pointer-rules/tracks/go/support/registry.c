/* The registry of registry.h. It prints what it does and, when the checker listens (the file
 * descriptor named by FFILAB_CHANNEL_FD), also reports it there as JSON lines. */
#include "registry.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uintptr_t kept;
static int have_kept;

static void report(const char *format, ...) {
    const char *fd_text = getenv("FFILAB_CHANNEL_FD");
    if (fd_text == NULL || *fd_text == '\0') {
        return;
    }
    char line[256];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line - 1, format, args);
    va_end(args);
    if (n < 0 || n >= (int)sizeof line - 1) {
        return;
    }
    line[n++] = '\n';
    ssize_t ignored = write(atoi(fd_text), line, (size_t)n);
    (void)ignored;
}

void registry_keep(uintptr_t token) {
    kept = token;
    have_kept = 1;
    printf("registry: keeping token %lu\n", (unsigned long)token);
    fflush(stdout);
    report("{\"event\": \"keep\", \"token\": %lu}", (unsigned long)token);
}

void registry_keep_pointer(void *p) {
    kept = (uintptr_t)p;
    have_kept = 1;
    printf("registry: keeping pointer %p\n", p);
    fflush(stdout);
    report("{\"event\": \"keep-pointer\"}");
}

int registry_fire(void) {
    if (!have_kept) {
        printf("registry: nothing was kept\n");
        fflush(stdout);
        report("{\"event\": \"fire-empty\"}");
        return -1;
    }
    printf("registry: calling registryVisit(%lu)\n", (unsigned long)kept);
    fflush(stdout);
    report("{\"event\": \"fire\", \"token\": %lu}", (unsigned long)kept);
    int result = registryVisit(kept);
    printf("registry: registryVisit returned %d\n", result);
    fflush(stdout);
    report("{\"event\": \"returned\", \"value\": %d}", result);
    return result;
}
