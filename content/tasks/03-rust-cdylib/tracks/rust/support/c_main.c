/*
 * Hidden C driver for task 3: a plain C program linked against the student's Rust cdylib
 * (cc c_main.c -L target/release -l<name>), the way any C user would call the library.
 *
 * The cases arrive on stdin, one per line (check.py decides them and judges the answers):
 *
 *     add ID A B          call rust_add(A, B)
 *     sum ID N V1 ... VN  call rust_sum on an array of the N values (N may be 0)
 *     null ID N           call rust_sum(NULL, N)
 *
 * For the student it prints what it calls and what came back. For the checker it writes JSON
 * lines to the descriptor named by $FFILAB_CHANNEL_FD: {"kind":"calling","id":ID} before each
 * call (so a crash is pinned on the call that caused it) and {"kind":"result",...} after it.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the Rust library exports (a C header for it would say exactly this). */
int32_t rust_add(int32_t a, int32_t b);
int64_t rust_sum(const int32_t *ptr, size_t len);

static FILE *channel;

static void send_calling(long id)
{
    fprintf(channel, "{\"kind\":\"calling\",\"id\":%ld}\n", id);
    fflush(channel);
}

static void send_result(long id, int64_t value)
{
    fprintf(channel, "{\"kind\":\"result\",\"id\":%ld,\"value\":%" PRId64 "}\n", id, value);
    fflush(channel);
}

int main(void)
{
    const char *fd_text = getenv("FFILAB_CHANNEL_FD");
    if (fd_text == NULL || (channel = fdopen(atoi(fd_text), "w")) == NULL) {
        fprintf(stderr, "c_main: no channel to the checker\n");
        return 2;
    }
    unsetenv("FFILAB_CHANNEL_FD");
    setvbuf(stdout, NULL, _IOLBF, 0);

    char kind[8];
    long id;
    while (scanf("%7s %ld", kind, &id) == 2) {
        if (strcmp(kind, "add") == 0) {
            int32_t a, b;
            if (scanf("%" SCNd32 " %" SCNd32, &a, &b) != 2)
                return 3;
            printf("C: rust_add(%" PRId32 ", %" PRId32 ") = ", a, b);
            send_calling(id);
            int32_t got = rust_add(a, b);
            printf("%" PRId32 "\n", got);
            send_result(id, got);
        } else if (strcmp(kind, "sum") == 0) {
            size_t n;
            if (scanf("%zu", &n) != 1 || n > 10000000)
                return 3;
            /* One element more than needed, so that even n == 0 passes a valid, non-null pointer. */
            int32_t *values = calloc(n + 1, sizeof *values);
            if (values == NULL)
                return 4;
            for (size_t i = 0; i < n; i++)
                if (scanf("%" SCNd32, &values[i]) != 1)
                    return 3;
            if (n <= 4) {
                printf("C: rust_sum({");
                for (size_t i = 0; i < n; i++)
                    printf("%s%" PRId32, i ? ", " : "", values[i]);
                printf("}, %zu) = ", n);
            } else {
                printf("C: rust_sum(<array of %zu ints>, %zu) = ", n, n);
            }
            send_calling(id);
            int64_t got = rust_sum(values, n);
            printf("%" PRId64 "\n", got);
            send_result(id, got);
            free(values);
        } else if (strcmp(kind, "null") == 0) {
            size_t n;
            if (scanf("%zu", &n) != 1)
                return 3;
            printf("C: rust_sum(NULL, %zu) = ", n);
            fflush(stdout); /* the line so far survives a crash inside the call */
            send_calling(id);
            int64_t got = rust_sum(NULL, n);
            printf("%" PRId64 "\n", got);
            send_result(id, got);
        } else {
            return 3;
        }
    }
    fprintf(channel, "{\"kind\":\"done\"}\n");
    fclose(channel);
    return 0;
}
