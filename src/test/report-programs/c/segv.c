#include <stdio.h>
#include <stddef.h>

struct node { int value; struct node *next; };

int last_value(struct node *n) {
	while (n->next != NULL)
		n = n->next;
	return n->value;
}

int main(void) {
	struct node b = {2, (struct node *)0x10};
	struct node a = {1, &b};
	printf("start\n");
	fflush(stdout);
	printf("%d\n", last_value(&a));
	return 0;
}
