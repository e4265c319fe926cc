/* Hostile submission: when loaded, closes its stdout and stderr and runs on in silence. */
#include <stdio.h>
#include <unistd.h>

__attribute__((constructor)) static void go_silent(void)
{
    printf("closing stdout and stderr, then running on\n");
    fflush(stdout);
    close(1);
    close(2);
    for (;;)
        sleep(1);
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
