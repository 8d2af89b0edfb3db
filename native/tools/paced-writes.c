// paced-writes RATE SECONDS: RATE write()s of 64 bytes to /dev/null per second, spread over 1 ms
// slices (RATE/1000 per slice, the remainder spread so the second's total is exact), for SECONDS;
// a steady syscall load for the live benchmarks. RATE 0 only sleeps. Prints what it did.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char** argv) {
	if(argc != 3) {
		fprintf(stderr, "usage: paced-writes RATE SECONDS\n");
		return 2;
	}
	long long rate = atoll(argv[1]), seconds = atoll(argv[2]);
	int fd = open("/dev/null", O_WRONLY);
	if(fd < 0 || rate < 0 || seconds <= 0) {
		perror("paced-writes");
		return 1;
	}
	char buf[64] = {0};
	long long start = now_ns(), writes = 0, late_slices = 0, slices = seconds * 1000;
	for(long long s = 0; s < slices; s++) {
		// the writes due by the end of slice s, so rounding never accumulates
		long long due = rate * (s + 1) / 1000;
		for(; writes < due; writes++) {
			if(write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
				perror("write");
				return 1;
			}
		}
		long long slice_end = start + (s + 1) * 1000000LL;
		long long t = now_ns();
		if(t > slice_end) {
			late_slices++;  // the writes overran their slice: the rate is not held
			continue;
		}
		struct timespec ts = {slice_end / 1000000000LL, slice_end % 1000000000LL};
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	double secs = (now_ns() - start) / 1e9;
	printf("writes %lld seconds %.3f rate %.0f late_slices %lld\n", writes, secs, writes / secs, late_slices);
	return 0;
}
