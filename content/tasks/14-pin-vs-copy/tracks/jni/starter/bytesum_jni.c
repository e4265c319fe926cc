/*
 * Task 14, JNI track: two ways to hand a Java byte[] to the C function sum_bytes.
 *
 * Built by the checker (after `javac -h . ByteSum.java` has written ByteSum.h) with
 *   cc -O2 -Wall -shared -fPIC -I$JAVA_HOME/include -I$JAVA_HOME/include/linux \
 *      -o libbytesum_jni.so bytesum_jni.c bytesum.c
 * bytesum.h declares the lab's C function:
 *   uint64_t sum_bytes(const unsigned char *data, size_t n);   (each byte counted as 0 .. 255)
 */
#include <jni.h>

#include "ByteSum.h"
#include "bytesum.h"

JNIEXPORT jlong JNICALL Java_ByteSum_sumElements(JNIEnv *env, jclass cls, jbyteArray data)
{
    /* TODO 1: get the array's length (GetArrayLength) and a pointer to its elements
     * (GetByteArrayElements; pass a jboolean* to learn whether HotSpot made a copy), call
     * sum_bytes, and hand the elements back with ReleaseByteArrayElements. Which mode? You only
     * read the bytes: JNI_ABORT frees a copy without writing it back. */
    (void)env;
    (void)cls;
    (void)data;
    return 0;
}

JNIEXPORT jlong JNICALL Java_ByteSum_sumCritical(JNIEnv *env, jclass cls, jbyteArray data)
{
    /* TODO 2: the same with GetPrimitiveArrayCritical / ReleasePrimitiveArrayCritical. Between
     * those two calls the array is pinned and the garbage collector may have to wait for you:
     * no JNI calls in there (not even GetArrayLength), no blocking, nothing slow. */
    (void)env;
    (void)cls;
    (void)data;
    return 0;
}
