#include <stdio.h>
#include <time.h>

static double now(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static volatile long sink;

static long copy_sum(const int *a, int n) {
	long s = 0;
	for (int i = 0; i < n; i++) s += a[i];
	return s;
}

int main(void) {
	static int data[1 << 20];
	for (int i = 0; i < (1 << 20); i++) data[i] = i;
	double t0 = now();
	for (int r = 0; r < 50; r++) sink += copy_sum(data, 1 << 20);
	double per = (now() - t0) / 50;
	printf("warming up...\n");
	printf("METRIC name=copy_sum value=%.6f unit=s\n", per);
	printf("METRIC name=throughput value=%.1f unit=MB/s lower_is_better=false\n", (4.0 * (1 << 20)) / per / 1e6);
	printf("METRIC name=broken value=%f unit=ns\n", 0.0 / 0.0);
	printf("METRIC value=1 unit=ns\n");
	printf("METRIC name=\"partial line\" value=12.5 unit=ms lower_is_better=maybe");
	fflush(stdout);
	return 0;
}
