/*
 * Task 12, JNI track: the glue between class Ticker and the ticker library (ticker.h).
 *
 * Built by the checker (after `javac -h . Ticker.java` has written Ticker.h) with
 *   cc -O2 -Wall -shared -fPIC -pthread -I$JAVA_HOME/include -I$JAVA_HOME/include/linux \
 *      -o libticker_jni.so ticker_jni.c ticker.c
 *
 * ticker_run(&hooks, userdata, count) starts a pthread of the library's own and calls, ON THAT
 * THREAD: hooks.thread_started(userdata) once, hooks.tick(userdata, v) for v = 0 .. count - 1,
 * hooks.thread_stopping(userdata) once; then it waits for the thread to end and returns 0.
 */
#include <jni.h>
#include <stddef.h>

#include "Ticker.h"
#include "ticker.h"

/* TODO 2: keep the JavaVM here. The JVM calls JNI_OnLoad(JavaVM *vm, void *reserved) when
 * System.loadLibrary loads this library (return JNI_VERSION_10 from it); (*env)->GetJavaVM
 * also gives it. */
static JavaVM *java_vm;

/* What the ticker thread needs. It can live on Java_Ticker_run's stack: ticker_run returns only
 * after the thread has ended. */
struct listener_call {
    jobject listener;
    jmethodID accept;
    JNIEnv *env;
};

static void on_thread_started(void *userdata)
{
    struct listener_call *call = userdata;
    /* TODO 3: this runs on the library's thread, which the JVM has never seen. Attach it
     * (AttachCurrentThread on java_vm) to get this thread's own JNIEnv into call->env. */
    (void)call;
}

static void on_tick(void *userdata, int value)
{
    struct listener_call *call = userdata;
    /* TODO 4: call listener.accept(value) with this thread's JNIEnv (CallVoidMethod), then ask
     * ExceptionCheck: the listener may have thrown, and -Xcheck:jni insists on the question. */
    (void)call;
    (void)value;
}

static void on_thread_stopping(void *userdata)
{
    struct listener_call *call = userdata;
    /* TODO 5: the thread is about to end: detach it (DetachCurrentThread). */
    (void)call;
}

JNIEXPORT jint JNICALL Java_Ticker_run(JNIEnv *env, jclass cls, jint count, jobject listener)
{
    (void)cls;
    jclass type = (*env)->GetObjectClass(env, listener);
    jmethodID accept = (*env)->GetMethodID(env, type, "accept", "(I)V");
    (*env)->DeleteLocalRef(env, type);
    if (accept == NULL)
        return -1; /* NoSuchMethodError is pending */

    /* TODO 6: `listener` is a local reference, valid only on this thread and only until this
     * function returns. The ticker thread needs a reference valid on every thread: make one
     * with NewGlobalRef, and delete it (DeleteGlobalRef) once ticker_run has returned. */
    struct listener_call call = { listener, accept, NULL };

    ticker_hooks hooks = { on_thread_started, on_tick, on_thread_stopping };
    return ticker_run(&hooks, &call, count);
}
