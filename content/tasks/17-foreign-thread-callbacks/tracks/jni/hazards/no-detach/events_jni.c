/*
 * Hazard no-detach: a library thread attaches at its first callback and is never detached: it
 * ends still registered with the JVM as a live Java thread.
 */
#include <jni.h>
#include <pthread.h>
#include <stdlib.h>

#include "Events.h"
#include "events.h"

static JavaVM *java_vm;          /* valid on every thread, for the life of the process */
static pthread_key_t detach_key; /* its destructor detaches a library thread as it ends */

/* What one run hands to its callbacks, from start() until stop(). */
struct binding {
    jobject listener;   /* a GLOBAL reference */
    jmethodID on_event; /* method IDs are not references: valid on every thread */
};

static struct binding *current; /* touched only by start() and stop(), on Java threads */

static void detach_at_thread_exit(void *value)
{
    (void)value;
    (*java_vm)->DetachCurrentThread(java_vm);
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved)
{
    (void)reserved;
    java_vm = vm;
    if (pthread_key_create(&detach_key, detach_at_thread_exit) != 0)
        return JNI_ERR;
    return JNI_VERSION_10;
}

/* The calling thread's JNIEnv, attaching the thread the first time. The library does not tell
 * us when its threads start or end, so a thread stays attached across its callbacks and the
 * key's destructor detaches it when it ends. */
static JNIEnv *thread_env(void)
{
    JNIEnv *env = NULL;
    jint rc = (*java_vm)->GetEnv(java_vm, (void **)&env, JNI_VERSION_10);
    if (rc == JNI_OK)
        return env;
    if (rc != JNI_EDETACHED)
        return NULL;
    JavaVMAttachArgs args = { JNI_VERSION_10, "events", NULL };
    if ((*java_vm)->AttachCurrentThread(java_vm, (void **)&env, &args) != JNI_OK)
        return NULL;
    return env; /* BUG: no pthread_setspecific, so the destructor never detaches the thread */
}

/* Runs on a library thread, with the library's lock held: do the minimum and return. */
static int on_native_event(void *userdata, int source, int seq)
{
    struct binding *binding = userdata;
    JNIEnv *env = thread_env();
    if (env == NULL)
        return EVENTS_STOP;
    (*env)->CallVoidMethod(env, binding->listener, binding->on_event, (jint)source, (jint)seq);
    if ((*env)->ExceptionCheck(env)) {
        /* Print it (this also clears it, so nothing stays pending on this thread) and tell the
         * library to end the run. */
        (*env)->ExceptionDescribe(env);
        return EVENTS_STOP;
    }
    return EVENTS_OK;
}

JNIEXPORT jint JNICALL Java_Events_start(JNIEnv *env, jclass cls, jobject listener, jint threads,
                                         jint count)
{
    (void)cls;
    if (listener == NULL) {
        jclass npe = (*env)->FindClass(env, "java/lang/NullPointerException");
        if (npe != NULL)
            (*env)->ThrowNew(env, npe, "listener is null");
        return -1;
    }
    if (current != NULL)
        return -1; /* already running: stop() first */
    jclass type = (*env)->GetObjectClass(env, listener);
    jmethodID on_event = (*env)->GetMethodID(env, type, "onEvent", "(II)V");
    (*env)->DeleteLocalRef(env, type);
    if (on_event == NULL)
        return -1; /* NoSuchMethodError is pending */

    struct binding *binding = malloc(sizeof *binding);
    if (binding == NULL)
        return -1;
    binding->on_event = on_event;
    binding->listener = (*env)->NewGlobalRef(env, listener);
    if (binding->listener == NULL) {
        free(binding);
        return -1; /* OutOfMemoryError is pending */
    }
    /* Everything the callbacks need is ready before the first one can run. */
    if (events_start(on_native_event, binding, threads, count) != 0) {
        (*env)->DeleteGlobalRef(env, binding->listener);
        free(binding);
        return -1;
    }
    current = binding;
    return 0;
}

JNIEXPORT jboolean JNICALL Java_Events_stop(JNIEnv *env, jclass cls)
{
    (void)cls;
    int stopped = events_stop(); /* no callback runs any more once it has returned */
    if (current != NULL) {
        (*env)->DeleteGlobalRef(env, current->listener);
        free(current);
        current = NULL;
    }
    return stopped == 1 ? JNI_TRUE : JNI_FALSE;
}
