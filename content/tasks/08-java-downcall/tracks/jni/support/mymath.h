/* Task 8: the C library your JNI glue calls (hidden source, mymath.c, built in by the checker). */
#ifndef MYMATH_H
#define MYMATH_H

/* Returns a + b. */
int add(int a, int b);

#endif
