#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct job { const char *name; char *out; };

static void copy_name(struct job *j) {
	strcpy(j->out, j->name);
}

static void *worker(void *arg) {
	struct job *j = arg;
	usleep(1000);
	copy_name(j);
	return NULL;
}

static void *idle(void *arg) {
	sleep(5);
	return arg;
}

int main(void) {
	pthread_t a, b;
	struct job j = {"worker", NULL};
	pthread_create(&b, NULL, idle, NULL);
	pthread_create(&a, NULL, worker, &j);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	puts(j.out);
	return 0;
}
