// Internal to the native library: what its other source files need of an ss_capture without its
// definition (capture.h, for the files that drive it; format.cpp only borrows the inspector).
#ifndef SCAPSTREAM_CAPTURE_INTERNAL_H
#define SCAPSTREAM_CAPTURE_INTERNAL_H

#include "scapstream.h"

#include <string>

class sinsp;
class sinsp_evt;

sinsp* ss_capture_inspector(ss_capture* c);
// sinsp::next over the capture's file or set of files: at the end of one file of a set the next
// one's inspector takes over (ss_capture_inspector changes), SCAP_EOF only after the last
int32_t ss_capture_next(ss_capture* c, sinsp_evt** e);
bool ss_capture_is_live(const ss_capture* c);
// a live capture's start (once), and events read outside ss_next_batch (the benchmarks' loop)
void ss_capture_start_if_live(ss_capture* c);
void ss_capture_count_seen(ss_capture* c, uint64_t n);

// shim.cpp's helpers: a message as one line into err; why a path cannot be read as a capture
// ("" when it can)
void ss_put_err(char* err, int32_t err_len, const std::string& msg);
// the SS_ERRK_* that ss_last_error_kind() reports for this thread's failed call
void ss_set_error_kind(int32_t kind);
// what a failed read of c means: a file read to its last byte ended inside an event (truncated),
// one that failed before its end is garbled (corrupt); live, the probe failed
int32_t ss_read_error_kind(ss_capture* c);
std::string ss_file_problem(const char* path);
// a container runtime's name as sysdig gives it (container.type): docker, cri-o, podman...
// (capture_state.cpp)
const char* ss_runtime_name(int sinsp_container_type);

#endif
