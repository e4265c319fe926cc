/*
 * Task 17, JNI track: the binding between class Events and the events library (events.h).
 *
 * Built by the checker (after `javac -h . Events.java EventListener.java` has written Events.h):
 *   cc -O2 -Wall -shared -fPIC -pthread -I$JAVA_HOME/include -I$JAVA_HOME/include/linux \
 *      -o libevents_jni.so events_jni.c events.c
 *
 * events_start(callback, userdata, nthreads, count) returns at once; afterwards the library's
 * own threads call callback(userdata, source, seq), one at a time, WITH THE LIBRARY'S LOCK HELD.
 * The callback returns EVENTS_OK, or EVENTS_STOP to end the run (no further events). events_stop()
 * waits for the threads and returns 1 when a callback ended the run early. Read events.h: it is
 * short, and its threading contract is the point of this task.
 */
#include <jni.h>
#include <pthread.h>
#include <stdlib.h>

#include "Events.h"
#include "events.h"

/* TODO 2: keep the JavaVM (JNI_OnLoad receives it). A library thread gets its own JNIEnv from
 * it: GetEnv tells you whether the thread is attached already (JNI_EDETACHED if not), and
 * AttachCurrentThread attaches it. The library never tells you when its threads end, but each
 * must be detached (DetachCurrentThread) before it does: a pthread key created with a destructor
 * (pthread_key_create) runs code on a thread as it ends, if the thread set a non-NULL value
 * (pthread_setspecific). Attaching and detaching around every single callback is correct too,
 * only slower. */
static JavaVM *java_vm;

/* What the callbacks need from start(): the listener and the method to call. */
struct binding {
    jobject listener;
    jmethodID on_event;
};

static struct binding *current;

static int on_native_event(void *userdata, int source, int seq)
{
    struct binding *binding = userdata;
    /* TODO 3: get this thread's JNIEnv (attaching the thread if needed), call
     * listener.onEvent(source, seq), and when the listener threw, clear the exception (or print
     * it with ExceptionDescribe, which clears it too) and return EVENTS_STOP. Nothing else: the
     * library's lock is held, and any events_* call from here would wait for it forever. */
    (void)binding;
    (void)source;
    (void)seq;
    return EVENTS_OK;
}

JNIEXPORT jint JNICALL Java_Events_start(JNIEnv *env, jclass cls, jobject listener, jint threads,
                                         jint count)
{
    (void)cls;
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
    /* TODO 4: the callbacks run on other threads, after this function has returned, where
     * `listener` (a local reference) means nothing. Store a reference that stays valid
     * everywhere until stop() deletes it. */
    binding->listener = listener;
    if (events_start(on_native_event, binding, threads, count) != 0) {
        free(binding);
        return -1;
    }
    current = binding;
    return 0;
}

JNIEXPORT jboolean JNICALL Java_Events_stop(JNIEnv *env, jclass cls)
{
    (void)env;
    (void)cls;
    int stopped = events_stop();
    /* TODO 5: once events_stop has returned, no callback runs any more: release what start()
     * made for them. */
    free(current);
    current = NULL;
    return stopped == 1 ? JNI_TRUE : JNI_FALSE;
}
