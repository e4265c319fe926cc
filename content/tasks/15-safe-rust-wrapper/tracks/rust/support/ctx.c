/* libctx (task 15): see ctx.h. */
#include "ctx.h"

#include <limits.h>
#include <stdlib.h>

struct Ctx {
    int total;
    int calls;
};

static int live; /* contexts made and not yet freed */

Ctx *ctx_new(void)
{
    if (live >= CTX_MAX_LIVE)
        return NULL;
    Ctx *c = malloc(sizeof *c);
    if (c == NULL)
        return NULL;
    c->total = 0;
    c->calls = 0;
    live++;
    return c;
}

int ctx_do(Ctx *c, int x)
{
    c->calls++;
    if (x < 0)
        return CTX_EINVAL;
    if (x > INT_MAX - c->total)
        return CTX_ERANGE;
    c->total += x;
    return c->total;
}

void ctx_free(Ctx *c)
{
    if (c == NULL)
        return;
    live--;
    free(c);
}
