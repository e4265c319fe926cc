/* libupcall (task 11): see upcall.h. Messages go to stderr, so you can see the C side react. */
#include "upcall.h"

#include <stdio.h>

static upcall_fn stored;
static int calls;

int for_each(const int *xs, int n, upcall_fn cb)
{
    for (int i = 0; i < n; i++) {
        calls++;
        int status = cb(xs[i]);
        if (status != UPCALL_OK) {
            fprintf(stderr, "libupcall: for_each stopped at element %d of %d: the callback "
                    "returned status %d\n", i, n, status);
            return status;
        }
    }
    return UPCALL_OK;
}

void register_cb(upcall_fn cb)
{
    stored = cb;
}

int fire(int x)
{
    if (stored == NULL) {
        fprintf(stderr, "libupcall: fire(%d): no callback is registered\n", x);
        return UPCALL_NO_CALLBACK;
    }
    calls++;
    int status = stored(x);
    if (status != UPCALL_OK)
        fprintf(stderr, "libupcall: fire(%d): the callback returned status %d\n", x, status);
    return status;
}

int upcall_calls(void)
{
    return calls;
}
