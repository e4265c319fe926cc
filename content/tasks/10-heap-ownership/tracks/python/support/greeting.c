/*
 * libgreeting: the C library of task 10. Students read it; they do not change it.
 *
 *   char *make_greeting(const char *name);
 *       Returns a new NUL-terminated string "Hello, <name>!" (name as given, UTF-8 bytes).
 *       The caller owns the result and must give it back with free_greeting, exactly once.
 *       Returns NULL when out of memory.
 *
 *   void free_greeting(char *greeting);
 *       Frees a string returned by make_greeting. NULL is allowed and ignored.
 *
 * The string is not the start of the allocation: a small header (its length and a tag) comes
 * first, so only free_greeting knows the address to hand to free(). This is common in real
 * libraries (reference counts, sizes, pools), and why a library's own deallocator must be used.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct greeting {
    uint64_t length; /* strlen(text) */
    uint64_t tag;    /* "greeting" in ASCII, for debuggers */
    char text[];     /* what make_greeting returns a pointer to */
};

char *make_greeting(const char *name)
{
    struct greeting *g;
    size_t length;

    if (name == NULL)
        name = "";
    length = strlen("Hello, !") + strlen(name);
    g = malloc(sizeof *g + length + 1);
    if (g == NULL)
        return NULL;
    g->length = length;
    g->tag = 0x676e697465657267ULL;
    snprintf(g->text, length + 1, "Hello, %s!", name);
    return g->text;
}

void free_greeting(char *greeting)
{
    if (greeting == NULL)
        return;
    free(greeting - offsetof(struct greeting, text));
}
