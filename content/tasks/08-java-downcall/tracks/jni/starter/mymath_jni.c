/*
 * Task 8, JNI track: the C glue between class MyMath and the C library.
 *
 * Built by the checker (after `javac -h . MyMath.java` has written MyMath.h) with
 *   cc -O2 -Wall -shared -fPIC -I$JAVA_HOME/include -I$JAVA_HOME/include/linux \
 *      -o libmymath_jni.so mymath_jni.c mymath.c
 * mymath.h declares the C library's function:  int add(int a, int b);
 */
#include <jni.h>

#include "MyMath.h"
#include "mymath.h"

/* TODO: once add is `native` in MyMath.java, implement it here. The function name and
 * parameters are the ones javac -h wrote into MyMath.h: Java_MyMath_add(JNIEnv *, jclass,
 * jint, jint). Call the C library's add. */

JNIEXPORT jint JNICALL Java_MyMath_sumChecked(JNIEnv *env, jclass cls, jintArray values,
                                              jobject check)
{
    /* TODO:
     *  - find the method applyAsInt, signature "(I)I", on check's class
     *    (GetObjectClass, GetMethodID);
     *  - read the elements of values (GetIntArrayElements) and release them at the end
     *    (ReleaseIntArrayElements with JNI_ABORT: you only read them);
     *  - for each element v, call check.applyAsInt(v) (CallIntMethod) and add the result to the
     *    sum with the C library's add;
     *  - CallIntMethod runs Java code, which may throw. After every such call, ask
     *    ExceptionCheck; if an exception is pending, stop at once: release the array and
     *    return, and the exception reaches the Java caller. */
    (void)env;
    (void)cls;
    (void)values;
    (void)check;
    return 0;
}
