#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct account { long balance; int ops; };

static struct account *acct;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void deposit(struct account *a, long v) {
	a->balance += v;            /* unguarded */
	pthread_mutex_lock(&lock);
	a->ops++;
	pthread_mutex_unlock(&lock);
}

static long peek(struct account *a) {
	return a->balance;
}

static void *client(void *arg) {
	long id = (long)arg;
	for (int i = 0; i < 20000; i++) {
		if (id % 2) deposit(acct, 1); else (void)peek(acct);
		if (i % 10000 == 0) printf("client %ld step %d\n", id, i);
	}
	return NULL;
}

int main(void) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	acct = calloc(1, sizeof *acct);
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, client, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("balance %ld ops %d\n", acct->balance, acct->ops);
	free(acct);
	return 0;
}
