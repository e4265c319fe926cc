#include <pthread.h>
#include <stdio.h>

static long counter;

static void *work(void *arg) {
	long id = (long)arg;
	for (int i = 0; i < 100000; i++) {
		counter++;
		if (i % 50000 == 0) {
			printf("thread %ld at %d\n", id, i);
			fflush(stdout);
		}
	}
	return NULL;
}

int main(void) {
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, work, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("counter %ld\n", counter);
	return 0;
}
