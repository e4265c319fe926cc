/*
 * Hazard critical-never-released: sumCritical forgets ReleasePrimitiveArrayCritical. The sums are
 * right, but the thread never leaves the critical region.
 */
#include <jni.h>

#include "ByteSum.h"
#include "bytesum.h"

JNIEXPORT jlong JNICALL Java_ByteSum_sumElements(JNIEnv *env, jclass cls, jbyteArray data)
{
    (void)cls;
    jsize n = (*env)->GetArrayLength(env, data);
    /* HotSpot copies the elements into a fresh C buffer here (isCopy is set to JNI_TRUE): the
     * garbage collector stays free to move the array while we read the copy. */
    jboolean is_copy;
    jbyte *bytes = (*env)->GetByteArrayElements(env, data, &is_copy);
    if (bytes == NULL)
        return 0; /* OutOfMemoryError is pending */
    uint64_t sum = sum_bytes((const unsigned char *)bytes, (size_t)n);
    /* Always release, or the copy is never freed. JNI_ABORT: we only read the bytes, so free the
     * buffer without copying anything back into the array. */
    (*env)->ReleaseByteArrayElements(env, data, bytes, JNI_ABORT);
    return (jlong)sum;
}

JNIEXPORT jlong JNICALL Java_ByteSum_sumCritical(JNIEnv *env, jclass cls, jbyteArray data)
{
    (void)cls;
    /* Everything that needs the JVM happens BEFORE the critical region. */
    jsize n = (*env)->GetArrayLength(env, data);
    void *bytes = (*env)->GetPrimitiveArrayCritical(env, data, NULL);
    if (bytes == NULL)
        return 0; /* OutOfMemoryError is pending */
    /* The critical region: a pointer into the Java heap itself, and the array may not move until
     * the release. Only plain C in here: no JNI calls, no blocking, nothing slow. */
    uint64_t sum = sum_bytes(bytes, (size_t)n);
    /* BUG: no ReleasePrimitiveArrayCritical(env, data, bytes, JNI_ABORT) */
    return (jlong)sum;
}
