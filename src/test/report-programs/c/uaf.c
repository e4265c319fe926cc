#include <stdio.h>
#include <stdlib.h>

static int *make(int n) {
	int *p = malloc(n * sizeof *p);
	for (int i = 0; i < n; i++) p[i] = i;
	return p;
}

static int bad(int *p) {
	free(p);
	return p[1];
}

int main(void) {
	int *p = make(4);
	printf("value %d\n", bad(p));
	return 0;
}
