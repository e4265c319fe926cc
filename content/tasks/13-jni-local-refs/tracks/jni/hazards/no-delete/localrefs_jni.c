/*
 * Hazard no-delete: sumWithDelete never deletes its local references. Every Reading stays
 * reachable until the native method returns; with enough iterations the heap runs out.
 */
#include <jni.h>

#include "LocalRefs.h"

/* Looked up once per call: a jclass from FindClass is itself a local reference (one, not one per
 * iteration); method IDs are not references at all. */
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
        jobject reading = (*env)->CallStaticObjectMethod(env, api.cls, api.of, i);
        if ((*env)->ExceptionCheck(env))
            return 0; /* e.g. OutOfMemoryError: it reaches the Java caller */
        sum += (*env)->CallLongMethod(env, reading, api.value);
        jboolean failed = (*env)->ExceptionCheck(env);
        /* BUG: no DeleteLocalRef(env, reading) */
        if (failed)
            return 0;
    }
    return sum;
}

JNIEXPORT jlong JNICALL Java_LocalRefs_sumWithFrame(JNIEnv *env, jclass cls, jint n)
{
    (void)cls;
    struct reading_api api;
    if (!find_reading(env, &api))
        return 0;
    jlong sum = 0;
    for (jint i = 0; i < n; i++) {
        /* Room for the references this iteration makes; PopLocalFrame frees them all at once. */
        if ((*env)->PushLocalFrame(env, 4) != 0)
            return 0; /* OutOfMemoryError is pending */
        jobject reading = (*env)->CallStaticObjectMethod(env, api.cls, api.of, i);
        if (!(*env)->ExceptionCheck(env))
            sum += (*env)->CallLongMethod(env, reading, api.value);
        (*env)->PopLocalFrame(env, NULL); /* allowed with an exception pending */
        if ((*env)->ExceptionCheck(env))
            return 0;
    }
    return sum;
}
