// Internal to the native library: what its other source files need of an ss_capture (shim.cpp
// owns the struct; format.cpp only borrows the inspector).
#ifndef SCAPSTREAM_CAPTURE_INTERNAL_H
#define SCAPSTREAM_CAPTURE_INTERNAL_H

#include "scapstream.h"

#include <string>

class sinsp;

sinsp* ss_capture_inspector(ss_capture* c);
bool ss_capture_is_live(const ss_capture* c);

// shim.cpp's helpers: a message as one line into err; why a path cannot be read as a capture
// ("" when it can)
void ss_put_err(char* err, int32_t err_len, const std::string& msg);
std::string ss_file_problem(const char* path);

#endif
