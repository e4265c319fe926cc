#include <stdlib.h>
#include <string.h>

/* Copies n doubles, one too many. */
void scale_into(double *out, const double *in, int n, double k) {
	for (int i = 0; i <= n; i++)
		out[i] = in[i] * k;
}

char *make_greeting(const char *name) {
	char *s = malloc(strlen(name) + 7);
	strcpy(s, "hello ");
	strcat(s, name);
	return s;
}

void free_greeting(char *s) {
	free(s);
}
