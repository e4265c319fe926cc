#include <stdlib.h>
#include <stdio.h>

struct point { int x, y; };

void point_free(struct point *p) {
	free(p);
}

int main(void) {
	struct point on_stack = {1, 2};
	printf("x=%d\n", on_stack.x);
	point_free(&on_stack);
	return 0;
}
