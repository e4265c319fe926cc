/*
 * Task 2 reference: a tiny C library.
 * Build: cc -shared -fPIC -o libmymath.so mymath.c
 */

int add(int a, int b)
{
    return a + b;
}

double scale(const double *xs, int n, double factor)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        sum += xs[i] * factor;
    }
    return sum;
}
