/*
 * Task 14 (hidden from the browser, not a secret): the lab's C function, linked into your
 * libbytesum_jni.so by the checker. sum_bytes_calls / sum_bytes_total let the checker see that
 * your native methods really handed the array to C.
 */
#include "bytesum.h"

static long calls;
static long long total_bytes;

uint64_t sum_bytes(const unsigned char *data, size_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += data[i];
    __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&total_bytes, (long long)n, __ATOMIC_SEQ_CST);
    return sum;
}

long sum_bytes_calls(void)
{
    return __atomic_load_n(&calls, __ATOMIC_SEQ_CST);
}

long long sum_bytes_total(void)
{
    return __atomic_load_n(&total_bytes, __ATOMIC_SEQ_CST);
}
