// scapstream-rawbench FILE         the baseline loop of `scapstream bench-read`, standalone
// scapstream-rawbench --shim FILE  reads FILE through the shim's batch API, as Java does
// scapstream-rawbench --shim-exits FILE  the same without records for syscall enters
// scapstream-rawbench --live-check  ss_live_possible(modern_bpf), as `record` and `live` ask it
#include "bench.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

static int read_through_shim(const char* path, uint32_t flags) {
	char err[1024] = {0};
	ss_capture* c = ss_open(SS_MODE_FILE, path, "", 0, nullptr, flags, err, sizeof(err));
	if(c == nullptr) {
		std::printf("open-error: %s\n", err);
		return 1;
	}
	std::vector<uint8_t> buf(4 << 20);
	long long events = 0;
	uint64_t digest = 1469598103934665603ull;  // FNV-1a over every batch: SS_DIGEST=1 prints it
	const bool digest_wanted = std::getenv("SS_DIGEST") != nullptr;
	int rc = SS_OK;
	auto start = std::chrono::steady_clock::now();  // after the open, like the raw loop's clock
	while(rc == SS_OK || rc == SS_TIMEOUT) {
		int32_t used = 0, n = 0;
		rc = ss_next_batch(c, buf.data(), static_cast<int32_t>(buf.size()), &used, &n, 100, err, sizeof(err));
		events += n;
		for(int32_t i = 0; digest_wanted && i < used; i++) {
			digest = (digest ^ buf[i]) * 1099511628211ull;
		}
	}
	if(rc == SS_ERROR) {
		std::printf("read-error after %lld events: %s\n", events, err);
	} else {
		double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
		std::printf("ok %lld events seconds %.3f rate %.0f\n", events, secs, secs > 0 ? events / secs : 0.0);
	}
	if(digest_wanted) {
		std::printf("digest %016llx\n", static_cast<unsigned long long>(digest));
	}
	char stats[4096];
	if(std::getenv("SS_STATS") && ss_stats(c, stats, sizeof(stats)) > 0) {
		std::printf("%s", stats);
	}
	ss_close(c);
	return rc == SS_ERROR ? 1 : 0;
}

// Live for SECONDS (per-CPU buffer BUFFER_MB, default 8) with the live command's open settings
// (procinfo, no enter records), either with a plain sinsp::next() loop (raw) or through the shim's
// batches (shim); prints events and drops.
static int live(int seconds, bool raw, uint64_t buffer_bytes) {
	char err[1024] = {0};
	ss_capture* c = ss_open(SS_MODE_MODERN_BPF, nullptr, "", buffer_bytes, nullptr, 1 | 4, err, sizeof(err));
	if(c == nullptr) {
		std::fprintf(stderr, "scapstream-rawbench: %s\n", err);
		return 1;
	}
	uint64_t events = 0;
	int rc = 0;
	// the probe is loaded: a benchmark starts its CPU window from this line (scripts/bench/live.sh)
	std::fprintf(stderr, "scapstream-rawbench: capturing live\n");
	if(raw) {
		rc = ss_drain_raw(c, seconds, &events, err, sizeof(err));
	} else {
		std::vector<uint8_t> buf(256 << 10);
		auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
		while(std::chrono::steady_clock::now() < end) {
			int32_t used = 0, n = 0;
			int32_t r = ss_next_batch(c, buf.data(), static_cast<int32_t>(buf.size()), &used, &n, 100, err, sizeof(err));
			if(r == SS_ERROR) {
				rc = -1;
				break;
			}
			events += static_cast<uint64_t>(n);
		}
	}
	if(rc != 0) {
		std::fprintf(stderr, "scapstream-rawbench: %s\n", err);
		ss_close(c);
		return 1;
	}
	char stats[8192];
	std::printf("path %s\nseconds %d\nevents_read %llu\n", raw ? "raw" : "shim", seconds,
	            static_cast<unsigned long long>(events));
	if(ss_stats(c, stats, sizeof(stats)) > 0) {
		std::printf("%s", stats);
	}
	ss_close(c);
	return 0;
}

int main(int argc, char** argv) {
	if(argc == 2 && std::strcmp(argv[1], "--live-check") == 0) {  // what `record`/`live` ask first
		char err[1024] = {0};
		int32_t ok = ss_live_possible(SS_MODE_MODERN_BPF, err, sizeof(err));
		std::printf(ok ? "live possible\n" : "live impossible: %s\n", err);
		return ok ? 0 : 1;
	}
	if((argc == 3 || argc == 4) && (std::strcmp(argv[1], "--live-raw") == 0 || std::strcmp(argv[1], "--live-shim") == 0)) {
		uint64_t buffer_bytes = argc == 4 ? static_cast<uint64_t>(std::atoll(argv[3])) << 20 : 0;  // MiB per CPU
		return live(std::atoi(argv[2]), std::strcmp(argv[1], "--live-raw") == 0, buffer_bytes);
	}
	if(argc == 3 && std::strcmp(argv[1], "--shim") == 0) {
		return read_through_shim(argv[2], 0);
	}
	if(argc == 3 && std::strcmp(argv[1], "--shim-exits") == 0) {
		return read_through_shim(argv[2], 4);  // no records for syscall enters (replay, live)
	}
	if(argc != 2) {
		std::fprintf(stderr, "usage: scapstream-rawbench [--shim|--shim-exits] FILE.scap | --live-raw|--live-shim SECONDS [BUFFER_MB]\n");
		return 2;
	}
	uint64_t events = 0, ns = 0;
	char err[512] = {0};
	if(ss_bench_raw(argv[1], &events, &ns, err, sizeof(err)) != 0) {
		std::fprintf(stderr, "scapstream-rawbench: %s\n", err);
		return 1;
	}
	std::printf("events %llu seconds %.3f rate %.0f ns %llu\n",
	            static_cast<unsigned long long>(events),
	            ns / 1e9,
	            ns ? events * 1e9 / ns : 0.0,
	            static_cast<unsigned long long>(ns));
	return 0;
}
