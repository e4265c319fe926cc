/*
 * Hazard no-detach: the ticker thread attaches, calls the listener correctly, and ends without
 * DetachCurrentThread.
 */
#include <jni.h>
#include <stddef.h>

#include "Ticker.h"
#include "ticker.h"

/* The JavaVM is one per process and may be used from any thread; a JNIEnv belongs to exactly
 * one thread. So we keep the JavaVM, and every thread gets its own JNIEnv from it. */
static JavaVM *java_vm;

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved)
{
    (void)reserved;
    java_vm = vm;
    return JNI_VERSION_10;
}

/* What the ticker thread needs; lives on Java_Ticker_run's stack (ticker_run waits for the
 * thread to end before it returns). */
struct listener_call {
    jobject listener;   /* a GLOBAL reference: local references are valid only on the thread
                           that received them, and only until its native method returns */
    jmethodID accept;   /* method IDs are not references: valid on every thread */
    JNIEnv *env;        /* the ticker thread's own JNIEnv, from AttachCurrentThread */
    jobject thrown;     /* a global reference to the listener's first exception, or NULL */
};

static void on_thread_started(void *userdata)
{
    struct listener_call *call = userdata;
    JavaVMAttachArgs args = { JNI_VERSION_10, "ticker", NULL };
    if ((*java_vm)->AttachCurrentThread(java_vm, (void **)&call->env, &args) != JNI_OK)
        call->env = NULL;
}

static void on_tick(void *userdata, int value)
{
    struct listener_call *call = userdata;
    JNIEnv *env = call->env;
    if (env == NULL || call->thrown != NULL)
        return; /* not attached, or the listener already threw: no more calls into Java */
    (*env)->CallVoidMethod(env, call->listener, call->accept, (jint)value);
    if ((*env)->ExceptionCheck(env)) {
        /* The exception cannot travel through the library's C frames. Keep it for the caller
         * and clear it on this thread. */
        jthrowable thrown = (*env)->ExceptionOccurred(env);
        (*env)->ExceptionClear(env);
        call->thrown = (*env)->NewGlobalRef(env, thrown);
        (*env)->DeleteLocalRef(env, thrown);
    }
}

static void on_thread_stopping(void *userdata)
{
    struct listener_call *call = userdata;
    call->env = NULL; /* BUG: forgets DetachCurrentThread; the thread ends still attached */
}

JNIEXPORT jint JNICALL Java_Ticker_run(JNIEnv *env, jclass cls, jint count, jobject listener)
{
    (void)cls;
    if (listener == NULL) {
        jclass npe = (*env)->FindClass(env, "java/lang/NullPointerException");
        if (npe != NULL)
            (*env)->ThrowNew(env, npe, "listener is null");
        return -1;
    }
    jclass type = (*env)->GetObjectClass(env, listener);
    jmethodID accept = (*env)->GetMethodID(env, type, "accept", "(I)V");
    (*env)->DeleteLocalRef(env, type);
    if (accept == NULL)
        return -1; /* NoSuchMethodError is pending */

    struct listener_call call = { NULL, accept, NULL, NULL };
    call.listener = (*env)->NewGlobalRef(env, listener);
    if (call.listener == NULL)
        return -1; /* OutOfMemoryError is pending */

    ticker_hooks hooks = { on_thread_started, on_tick, on_thread_stopping };
    int status = ticker_run(&hooks, &call, count);

    (*env)->DeleteGlobalRef(env, call.listener);
    if (call.thrown != NULL) {
        jthrowable thrown = (jthrowable)(*env)->NewLocalRef(env, call.thrown);
        (*env)->DeleteGlobalRef(env, call.thrown);
        (*env)->Throw(env, thrown);
    }
    return status;
}
