/*
 * Task 8 (hidden): the C library of task 2, built by the checker as libmymath.so with
 *   cc -O2 -shared -fPIC -o libmymath.so mymath.c
 * mymath_calls() lets the checker see that MyMath.add really went through the C function.
 */

static int calls;

int add(int a, int b)
{
    calls++;
    return a + b;
}

int mymath_calls(void)
{
    return calls;
}
