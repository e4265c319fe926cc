#include <jni.h>
#include <pthread.h>
#include <stddef.h>
#include <unistd.h>

JNIEXPORT jint JNICALL Java_Native_callTwice(JNIEnv *env, jclass cls, jobject r) {
	jclass runnable = (*env)->GetObjectClass(env, r);
	jmethodID run = (*env)->GetMethodID(env, runnable, "run", "()V");
	(*env)->CallVoidMethod(env, r, run);
	/* no ExceptionCheck: the next calls are made with the exception pending */
	jclass again = (*env)->GetObjectClass(env, r);
	(*env)->CallVoidMethod(env, r, run);
	return again != NULL;
}

struct point { int x, y; };

static int read_x(struct point *p) {
	return p->x;
}

JNIEXPORT void JNICALL Java_Native_crash(JNIEnv *env, jclass cls) {
	struct point *p = NULL;
	(void)read_x(p);
}

static JNIEnv *cached_env;
static jobject cached_runnable;
static jmethodID cached_run;

static void *thread_main(void *arg) {
	/* wrong: the cached JNIEnv belongs to the Java thread, and this thread was never attached */
	(*cached_env)->CallVoidMethod(cached_env, cached_runnable, cached_run);
	return arg;
}

JNIEXPORT void JNICALL Java_Native_fromThread(JNIEnv *env, jclass cls, jobject r) {
	cached_env = env;
	cached_runnable = (*env)->NewGlobalRef(env, r);
	cached_run = (*env)->GetMethodID(env, (*env)->GetObjectClass(env, r), "run", "()V");
	pthread_t t;
	pthread_create(&t, NULL, thread_main, NULL);
	pthread_join(t, NULL);
}
