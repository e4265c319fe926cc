#include <limits.h>
#include <stdio.h>
#include <string.h>

int scale(int x) {
	return x * 1000;
}

int shift(int v, int by) {
	return v << by;
}

int read_int(const char *buf) {
	return *(const int *)(buf + 1);
}

int main(void) {
	char buf[16];
	memset(buf, 1, sizeof buf);
	printf("%d\n", scale(INT_MAX / 10));
	printf("%d\n", shift(1, 40));
	printf("%d\n", read_int(buf));
	int arr[4] = {0};
	int idx = 5;
	printf("%d\n", arr[idx]);
	return 0;
}
