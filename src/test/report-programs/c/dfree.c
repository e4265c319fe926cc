#include <stdlib.h>
#include <string.h>

char *copy_name(const char *s) {
	char *d = malloc(strlen(s) + 1);
	strcpy(d, s);
	return d;
}

void release(char *p) {
	free(p);
}

int main(void) {
	char *n = copy_name("ada");
	release(n);
	release(n);
	return 0;
}
