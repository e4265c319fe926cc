#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int ready;
static long total;
static char message[32];
static volatile int done;

static void *chatter(void *arg) {
	for (int i = 0; !done && i < 5000; i++) {
		printf("tick %d\n", i);
		usleep(20);
	}
	return arg;
}

static void *producer(void *arg) {
	snprintf(message, sizeof message, "hello %d", 42);
	ready = 1;
	return arg;
}

static void *adder(void *arg) {
	for (int i = 0; i < 1000; i++)
		total += i;
	return arg;
}

int main(void) {
	setvbuf(stdout, NULL, _IONBF, 0);
	pthread_t c, p, a1, a2;
	pthread_create(&c, NULL, chatter, NULL);
	usleep(2000);
	pthread_create(&p, NULL, producer, NULL);
	while (!ready)
		;
	printf("got %s\n", message);
	pthread_create(&a1, NULL, adder, NULL);
	pthread_create(&a2, NULL, adder, NULL);
	pthread_join(p, NULL);
	pthread_join(a1, NULL);
	pthread_join(a2, NULL);
	done = 1;
	pthread_join(c, NULL);
	printf("total %ld\n", total);
	return 0;
}
