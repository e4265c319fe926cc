/*
 * Task 8 (hidden): the C library of task 2. The checker compiles it into libmymath_jni.so
 * together with your mymath_jni.c:
 *   cc -O2 -shared -fPIC -I$JAVA_HOME/include -I$JAVA_HOME/include/linux \
 *      -o libmymath_jni.so mymath_jni.c mymath.c
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
