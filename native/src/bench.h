// The benchmarks' baselines (bench.cpp), for scapstream-rawbench: not part of the shim's ABI.
#ifndef SCAPSTREAM_BENCH_H
#define SCAPSTREAM_BENCH_H

#include "scapstream.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The baseline of `scapstream bench-read`: a plain loop over sinsp::next() on a file, with the
 * same inspector settings as ss_open and nothing else. 0 on success. */
int32_t ss_bench_raw(const char* path, uint64_t* events, uint64_t* elapsed_ns, char* err, int32_t err_len);

/* The baseline of the live storm benchmark: reads an open capture with a plain sinsp::next() loop
 * for `seconds`, writing no records (the same open settings as the shim path). *events receives
 * the events read; ss_stats gives the drops afterwards. 0 on success. */
int32_t ss_drain_raw(ss_capture* c, int32_t seconds, uint64_t* events, char* err, int32_t err_len);

#ifdef __cplusplus
}
#endif

#endif
