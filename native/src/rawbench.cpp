// scapstream-rawbench FILE: the baseline loop of `scapstream bench-read`, as a standalone program.
#include "scapstream.h"

#include <cstdio>

int main(int argc, char** argv) {
	if(argc != 2) {
		std::fprintf(stderr, "usage: scapstream-rawbench FILE.scap\n");
		return 2;
	}
	uint64_t events = 0, ns = 0;
	char err[512] = {0};
	if(ss_bench_raw(argv[1], &events, &ns, err, sizeof(err)) != 0) {
		std::fprintf(stderr, "scapstream-rawbench: %s\n", err);
		return 1;
	}
	std::printf("events %llu seconds %.3f rate %.0f\n",
	            static_cast<unsigned long long>(events),
	            ns / 1e9,
	            ns ? events * 1e9 / ns : 0.0);
	return 0;
}
