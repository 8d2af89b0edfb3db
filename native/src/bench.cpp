// The benchmarks' native baselines: libsinsp's plain sinsp::next() loop over a file, and the same
// over an open live capture. Linked into scapstream-rawbench only, never into libscapstream.so.
#include "bench.h"
#include "capture_internal.h"

#include <libsinsp/sinsp.h>

#include <chrono>
#include <string>

extern "C" {

int32_t ss_bench_raw(const char* path, uint64_t* events, uint64_t* elapsed_ns, char* err, int32_t err_len) {
	try {
		std::string problem = ss_file_problem(path);
		if(!problem.empty()) {
			ss_put_err(err, err_len, problem);
			return -1;
		}
		sinsp inspector;
		inspector.set_auto_threads_purging(true);
		inspector.open_savefile(path);
		auto start = std::chrono::steady_clock::now();
		uint64_t n = 0;
		sinsp_evt* e = nullptr;
		while(true) {
			int32_t rc = inspector.next(&e);
			if(rc == SCAP_SUCCESS) {
				n++;
			} else if(rc == SCAP_EOF) {
				break;
			} else if(rc != SCAP_TIMEOUT && rc != SCAP_FILTERED_EVENT) {
				ss_put_err(err, err_len, inspector.getlasterr());
				return -1;
			}
		}
		*elapsed_ns = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
		                                            std::chrono::steady_clock::now() - start)
		                                            .count());
		*events = n;
		inspector.close();
		return 0;
	} catch(const std::exception& ex) {
		ss_put_err(err, err_len, ex.what());
	} catch(...) {
		ss_put_err(err, err_len, "unknown error");
	}
	return -1;
}

int32_t ss_drain_raw(ss_capture* c, int32_t seconds, uint64_t* events, char* err, int32_t err_len) {
	*events = 0;
	if(c == nullptr || seconds <= 0) {
		ss_put_err(err, err_len, "ss_drain_raw: bad arguments");
		return -1;
	}
	try {
		ss_capture_start_if_live(c);
		auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
		uint64_t n = 0;
		sinsp_evt* e = nullptr;
		while(true) {
			int32_t rc = ss_capture_inspector(c)->next(&e);
			if(rc == SCAP_SUCCESS) {
				n++;
				if((n & 1023) == 0 && std::chrono::steady_clock::now() >= end) {
					break;
				}
			} else if(rc == SCAP_TIMEOUT || rc == SCAP_FILTERED_EVENT) {
				if(std::chrono::steady_clock::now() >= end) {
					break;
				}
			} else if(rc == SCAP_EOF) {
				break;
			} else {
				ss_put_err(err, err_len, ss_capture_inspector(c)->getlasterr());
				return -1;
			}
		}
		ss_capture_count_seen(c, n);
		*events = n;
		return 0;
	} catch(const std::exception& ex) {
		ss_put_err(err, err_len, ex.what());
	} catch(...) {
		ss_put_err(err, err_len, "unknown error");
	}
	return -1;
}

}  // extern "C"
