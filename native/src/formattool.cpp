// scapstream-format [-p FORMAT] [-j] [-A|-X] [-v] FILE [FILTER...]
// libsinsp's own loop over FILE, every event formatted by its formatter (ss_format_raw), written to
// stdout: the reference `scapstream events -r FILE` is checked against, line for line.
#include "scapstream.h"

#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
	std::string format, filter;
	uint32_t flags = 0;
	const char* path = nullptr;
	for(int i = 1; i < argc; i++) {
		const char* a = argv[i];
		if(path == nullptr && std::strcmp(a, "-p") == 0 && i + 1 < argc) {
			format = argv[++i];
		} else if(path == nullptr && std::strncmp(a, "-p", 2) == 0 && a[2] != '\0') {
			format = a + 2;
		} else if(path == nullptr && std::strcmp(a, "-j") == 0) {
			flags |= SS_FMT_JSON;
		} else if(path == nullptr && std::strcmp(a, "-A") == 0) {
			flags |= SS_FMT_ASCII;
		} else if(path == nullptr && std::strcmp(a, "-X") == 0) {
			flags |= SS_FMT_HEXASCII;
		} else if(path == nullptr && std::strcmp(a, "-v") == 0) {
			flags |= SS_FMT_VERBOSE;
		} else if(path == nullptr) {
			path = a;
		} else {
			filter += filter.empty() ? a : std::string(" ") + a;
		}
	}
	if(path == nullptr) {
		std::fprintf(stderr, "usage: scapstream-format [-p FORMAT] [-j] [-A|-X] [-v] FILE [FILTER...]\n");
		return 2;
	}
	uint64_t lines = 0, ns = 0;
	char err[1024] = {0};
	if(ss_format_raw(path, filter.c_str(), format.c_str(), flags, 1, &lines, &ns, err, sizeof(err)) != 0) {
		std::fprintf(stderr, "scapstream-format: %s\n", err);
		return 1;
	}
	std::fprintf(stderr, "lines %llu seconds %.3f\n", static_cast<unsigned long long>(lines), ns / 1e9);
	return 0;
}
