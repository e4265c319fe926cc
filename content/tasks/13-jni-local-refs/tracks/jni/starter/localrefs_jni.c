/*
 * Task 13, JNI track: two loops that make a Java object per iteration.
 *
 * Built by the checker (after `javac -h . LocalRefs.java` has written LocalRefs.h) with
 *   cc -O2 -Wall -shared -fPIC -I$JAVA_HOME/include -I$JAVA_HOME/include/linux \
 *      -o liblocalrefs_jni.so localrefs_jni.c
 *
 * Reading (a class the lab provides) has `static Reading of(int i)`, a new object every call,
 * and `long value()`, which is 2 * i + 1. Both loops return the sum of Reading.of(i).value()
 * for i = 0 .. n - 1.
 */
#include <jni.h>

#include "LocalRefs.h"

struct reading_api {
    jclass cls;
    jmethodID of;
    jmethodID value;
};

static int find_reading(JNIEnv *env, struct reading_api *api)
{
    api->cls = (*env)->FindClass(env, "Reading");
    if (api->cls == NULL)
        return 0; /* NoClassDefFoundError is pending */
    api->of = (*env)->GetStaticMethodID(env, api->cls, "of", "(I)LReading;");
    if (api->of == NULL)
        return 0;
    api->value = (*env)->GetMethodID(env, api->cls, "value", "()J");
    return api->value != NULL;
}

JNIEXPORT jlong JNICALL Java_LocalRefs_sumWithDelete(JNIEnv *env, jclass cls, jint n)
{
    (void)cls;
    struct reading_api api;
    if (!find_reading(env, &api))
        return 0;
    jlong sum = 0;
    for (jint i = 0; i < n; i++) {
        /* Every object a JNI function hands back comes as a new LOCAL reference. */
        jobject reading = (*env)->CallStaticObjectMethod(env, api.cls, api.of, i);
        if ((*env)->ExceptionCheck(env))
            return 0; /* e.g. OutOfMemoryError: it reaches the Java caller */
        sum += (*env)->CallLongMethod(env, reading, api.value);
        if ((*env)->ExceptionCheck(env))
            return 0;
        /* TODO 1: this works for small n and fails for large n. Run it first and read what the
         * checker reports; then drop the reference once you are done with it (DeleteLocalRef). */
    }
    return sum;
}

JNIEXPORT jlong JNICALL Java_LocalRefs_sumWithFrame(JNIEnv *env, jclass cls, jint n)
{
    (void)cls;
    (void)env;
    (void)n;
    /* TODO 2: the same loop, without DeleteLocalRef: give each iteration a frame of its own
     * with PushLocalFrame(env, capacity) and end it with PopLocalFrame(env, NULL), which frees
     * every local reference made since the matching push. Mind the exception checks: a frame you
     * pushed must be popped on every path out of the iteration. */
    return 0;
}
