/*
 * Task 2: a tiny C library of your own.
 * Built by the checker with:  cc -shared -fPIC -o libmymath.so mymath.c
 */

/* Returns a + b. */
int add(int a, int b)
{
    /* TODO */
    return 0;
}

/*
 * Multiplies each of the n values at xs by factor and returns the sum of the products.
 * The array is only read, never changed. For n == 0 the result is 0.0.
 */
double scale(const double *xs, int n, double factor)
{
    /* TODO */
    return 0.0;
}
