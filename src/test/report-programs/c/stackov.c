#include <stdio.h>

int sum(const int *a, int n) {
	int s = 0;
	for (int i = 0; i <= n; i++)
		s += a[i];
	return s;
}

int main(void) {
	int a[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	printf("%d\n", sum(a, 8));
	return 0;
}
