#include <stdlib.h>
#include <string.h>

void fill(char *buf, size_t n) {
	for (size_t i = 0; i <= n; i++)
		buf[i] = 'x';
}

int main(void) {
	char *b = malloc(16);
	fill(b, 16);
	free(b);
	return 0;
}
