#include <stdlib.h>
#include <string.h>

struct list { char *name; struct list *next; };

struct list *push(struct list *head, const char *name) {
	struct list *n = malloc(sizeof *n);
	n->name = strdup(name);
	n->next = head;
	return n;
}

void drop_head_only(struct list *l) {
	free(l);
}

int main(void) {
	struct list *l = NULL;
	for (int i = 0; i < 3; i++)
		l = push(l, "item");
	drop_head_only(l);
	return 0;
}
