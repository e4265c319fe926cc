/*
 * libctx: a C library that hands out contexts (task 15).
 *
 * A context adds up the numbers given to ctx_do. The library can keep at most CTX_MAX_LIVE
 * contexts at the same time: ctx_new returns NULL when all of them are in use (or when memory
 * runs out), until ctx_free gives one back.
 */
#ifndef CTX_H
#define CTX_H

#define CTX_MAX_LIVE 16
#define CTX_EINVAL (-22) /* ctx_do: x is negative */
#define CTX_ERANGE (-34) /* ctx_do: the total would not fit in an int */

typedef struct Ctx Ctx;

/* A new context with a total of 0, or NULL when none can be made. Free it with ctx_free. */
Ctx *ctx_new(void);

/* Adds x to the context's total and returns the new total (>= 0). Returns CTX_EINVAL when x is
 * negative and CTX_ERANGE when the total would overflow; the total is then left unchanged.
 * c must be a live context from ctx_new. */
int ctx_do(Ctx *c, int x);

/* Frees the context. c must come from ctx_new and must not be used (or freed) again afterwards.
 * ctx_free(NULL) does nothing. */
void ctx_free(Ctx *c);

#endif
