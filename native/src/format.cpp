// `scapstream events`: events rendered by libsinsp's own formatter (sinsp_evt_formatter), as
// sysdig renders them, many lines per call into the caller's buffer. See scapstream.h.
#include "capture_internal.h"
#include "scapstream.h"

#include <libsinsp/eventformatter.h>
#include <libsinsp/filter_check_list.h>
#include <libsinsp/sinsp.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <memory>
#include <string>

namespace {

// sysdig's own default lines (its DEFAULT_OUTPUT_STR and the -pc one); the leading '*' prints an
// event even when some field has no value
const char* kDefaultFormat = "*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info";
const char* kContainerFormat =
        "*%evt.num %evt.outputtime %evt.cpu %container.name (%container.id) %proc.name "
        "(%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info";

std::string resolve_format(const char* format) {
	std::string f = format == nullptr ? "" : format;
	if(f.empty()) {
		return kDefaultFormat;
	}
	if(f == "c" || f == "container") {
		return kContainerFormat;
	}
	return f;
}

// The buffer rendering sysdig picks for -A / -X, and with -j their JSON variants.
sinsp_evt::param_fmt buffer_format(uint32_t flags) {
	const bool json = flags & SS_FMT_JSON;
	if(flags & SS_FMT_ASCII) {
		return json ? sinsp_evt::PF_JSONEOLS : sinsp_evt::PF_EOLS_COMPACT;
	}
	if(flags & SS_FMT_HEXASCII) {
		return json ? sinsp_evt::PF_JSONHEXASCII : sinsp_evt::PF_HEXASCII;
	}
	return json ? sinsp_evt::PF_JSON : sinsp_evt::PF_NORMAL;
}

// What sysdig's print loop sets on the inspector, and the formatter it prints with. Throws
// sinsp_exception on an unknown field.
std::unique_ptr<sinsp_evt_formatter> make_formatter(sinsp& inspector,
                                                    sinsp_filter_check_list& checks,
                                                    const char* format,
                                                    uint32_t flags) {
	inspector.set_buffer_format(buffer_format(flags));
	if(!(flags & SS_FMT_VERBOSE)) {
		inspector.set_max_evt_output_len(80);
	}
	auto f = std::make_unique<sinsp_evt_formatter>(&inspector, checks);
	f->set_format((flags & SS_FMT_JSON) ? sinsp_evt_formatter::OF_JSON : sinsp_evt_formatter::OF_NORMAL,
	              resolve_format(format));
	return f;
}

// sysdig leaves out the events libsinsp makes for itself unless asked (-D).
inline bool shown(sinsp_evt* e) { return (e->get_category() & EC_INTERNAL) == 0; }

// Appends `in` and a '\n' to out, control characters as \xNN (Text.printable's escaping on the
// Java side). `keep_layout`: -A/-X, whose buffer rendering is made of line breaks and tabs.
void append_line(const std::string& in, bool keep_layout, std::string& out) {
	static const char hex[] = "0123456789abcdef";
	const char* p = in.data();
	const char* end = p + in.size();
	const char* run = p;  // start of the bytes not yet appended
	for(; p < end; p++) {
		unsigned char ch = static_cast<unsigned char>(*p);
		if(ch >= 0x20 && ch != 0x7f) {
			continue;
		}
		if(keep_layout && (ch == '\n' || ch == '\t')) {
			continue;
		}
		out.append(run, p);
		const char esc[4] = {'\\', 'x', hex[ch >> 4], hex[ch & 15]};
		out.append(esc, 4);
		run = p + 1;
	}
	out.append(run, end);
	out.push_back('\n');
}

inline bool keeps_layout(uint32_t flags) { return (flags & (SS_FMT_ASCII | SS_FMT_HEXASCII)) != 0; }

}  // namespace

struct ss_formatter {
	ss_capture* capture = nullptr;  // borrowed
	sinsp* inspector = nullptr;
	std::unique_ptr<sinsp_filter_check_list> checks;
	std::unique_ptr<sinsp_evt_formatter> formatter;
	std::string format;  // to compile again for the next file of a set
	uint32_t flags = 0;
	bool live = false;
	bool keep_layout = false;
	bool done = false;
	uint64_t from_ns = 0;
	uint64_t to_ns = 0;
	uint64_t remaining = 0;  // lines still allowed; 0 = no limit
	bool limited = false;
	std::string rendered;  // scratch for the formatter
	std::string pending;   // escaped lines not yet handed out (did not fit)
};

extern "C" {

ss_formatter* ss_format_open(ss_capture* c,
                             const char* format,
                             uint32_t flags,
                             uint32_t snaplen,
                             uint64_t from_ns,
                             uint64_t to_ns,
                             uint64_t limit,
                             char* err,
                             int32_t err_len) {
	ss_set_error_kind(SS_ERRK_NONE);
	if(c == nullptr) {
		ss_set_error_kind(SS_ERRK_OTHER);
		ss_put_err(err, err_len, "ss_format_open: no capture");
		return nullptr;
	}
	try {
		auto f = std::make_unique<ss_formatter>();
		f->capture = c;
		f->inspector = ss_capture_inspector(c);
		f->live = ss_capture_is_live(c);
		f->keep_layout = keeps_layout(flags);
		f->from_ns = from_ns;
		f->to_ns = to_ns;
		f->remaining = limit;
		f->limited = limit > 0;
		f->format = format != nullptr ? format : "";
		f->flags = flags;
		f->checks = std::make_unique<sinsp_filter_check_list>();
		f->formatter = make_formatter(*f->inspector, *f->checks, f->format.c_str(), flags);
		if(f->live && snaplen > 0) {
			f->inspector->set_snaplen(snaplen);
		}
		return f.release();
	} catch(const std::exception& ex) {
		// the formatter compiles the format: what it throws is a bad field or format
		ss_set_error_kind(SS_ERRK_FORMAT);
		ss_put_err(err, err_len, ex.what());
	} catch(...) {
		ss_set_error_kind(SS_ERRK_OTHER);
		ss_put_err(err, err_len, "unknown error while preparing the formatter");
	}
	return nullptr;
}

int32_t ss_format_next(ss_formatter* f,
                       uint8_t* buf,
                       int32_t cap,
                       int32_t* used_out,
                       int32_t* lines_out,
                       int32_t max_wait_ms,
                       char* err,
                       int32_t err_len) {
	*used_out = 0;
	*lines_out = 0;
	ss_set_error_kind(SS_ERRK_NONE);
	if(f == nullptr || buf == nullptr || cap < 2) {
		ss_set_error_kind(SS_ERRK_OTHER);
		ss_put_err(err, err_len, "ss_format_next: bad arguments");
		return SS_ERROR;
	}
	const size_t room = static_cast<size_t>(cap);
	size_t used = 0;
	int32_t lines = 0;
	// a line that did not fit last time goes first; one longer than the whole buffer is cut
	auto take_pending = [&]() -> bool {
		if(f->pending.empty()) {
			return true;
		}
		if(f->pending.size() > room - used) {
			if(used > 0) {
				return false;
			}
			f->pending.resize(room - 1);
			f->pending.push_back('\n');
		}
		std::memcpy(buf + used, f->pending.data(), f->pending.size());
		used += f->pending.size();
		f->pending.clear();
		return true;
	};
	auto finish = [&](int32_t rc) {
		*used_out = static_cast<int32_t>(used);
		*lines_out = lines;
		return rc;
	};
	if(!take_pending()) {
		return finish(SS_OK);
	}
	if(f->done) {
		return finish(SS_EOF);
	}
	try {
		const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(max_wait_ms);
		uint32_t since_clock = 0;
		sinsp_evt* e = nullptr;
		while(true) {
			if(f->limited && f->remaining == 0) {
				f->done = true;
				return finish(SS_EOF);
			}
			int32_t rc = ss_capture_next(f->capture, &e);
			if(ss_capture_inspector(f->capture) != f->inspector) {
				// the next file of a set: its own inspector, so a formatter of its own
				f->inspector = ss_capture_inspector(f->capture);
				f->formatter.reset();
				f->checks = std::make_unique<sinsp_filter_check_list>();
				f->formatter = make_formatter(*f->inspector, *f->checks, f->format.c_str(), f->flags);
			}
			if(rc == SCAP_EOF) {
				f->done = true;
				return finish(SS_EOF);
			}
			if(rc == SCAP_TIMEOUT || rc == SCAP_FILTERED_EVENT) {
				if(f->live && (used > 0 || std::chrono::steady_clock::now() >= deadline)) {
					return finish(SS_TIMEOUT);
				}
				continue;
			}
			if(rc != SCAP_SUCCESS) {
				f->done = true;
				ss_set_error_kind(ss_read_error_kind(f->capture));
				ss_put_err(err, err_len, f->inspector->getlasterr());
				return finish(SS_ERROR);
			}
			if(!shown(e)) {
				continue;
			}
			const uint64_t ts = e->get_ts();
			if((f->from_ns != 0 && ts < f->from_ns) || (f->to_ns != 0 && ts > f->to_ns)) {
				continue;
			}
			if(!f->formatter->tostring(e, f->rendered)) {
				continue;
			}
			append_line(f->rendered, f->keep_layout, f->pending);
			lines++;
			if(f->limited) {
				f->remaining--;
			}
			if(!take_pending()) {
				return finish(SS_OK);
			}
			if(f->live && ++since_clock == 256) {
				since_clock = 0;
				if(std::chrono::steady_clock::now() >= deadline) {
					return finish(SS_TIMEOUT);
				}
			}
		}
	} catch(const std::exception& ex) {
		f->done = true;
		ss_set_error_kind(ss_read_error_kind(f->capture));
		ss_put_err(err, err_len, ex.what());
	} catch(...) {
		f->done = true;
		ss_set_error_kind(SS_ERRK_OTHER);
		ss_put_err(err, err_len, "unknown error while formatting events");
	}
	return finish(SS_ERROR);
}

void ss_format_close(ss_formatter* f) {
	try {
		delete f;
	} catch(...) {
	}
}

int32_t ss_format_raw(const char* path,
                      const char* filter,
                      const char* format,
                      uint32_t flags,
                      int32_t fd,
                      uint64_t* lines_out,
                      uint64_t* elapsed_ns,
                      char* err,
                      int32_t err_len) {
	*lines_out = 0;
	*elapsed_ns = 0;
	try {
		std::string problem = ss_file_problem(path);
		if(!problem.empty()) {
			ss_put_err(err, err_len, problem);
			return -1;
		}
		// fd < 0: to /dev/null, so a benchmark's baseline pays for its writes as the events path does
		struct fd_guard {
			int fd = -1;
			~fd_guard() {
				if(fd >= 0) {
					close(fd);
				}
			}
		} null_fd;
		if(fd < 0) {
			null_fd.fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
			fd = null_fd.fd;
			if(fd < 0) {
				ss_put_err(err, err_len, std::string("/dev/null: ") + std::strerror(errno));
				return -1;
			}
		}
		sinsp inspector;
		inspector.set_auto_threads_purging(true);
		inspector.open_savefile(path);
		if(filter != nullptr && *filter != '\0') {
			inspector.set_filter(filter);
		}
		sinsp_filter_check_list checks;
		auto formatter = make_formatter(inspector, checks, format, flags);
		const bool keep_layout = keeps_layout(flags);
		auto start = std::chrono::steady_clock::now();
		std::string rendered, out;
		uint64_t lines = 0;
		auto flush = [&]() -> bool {
			size_t off = 0;
			while(off < out.size()) {
				ssize_t n = write(fd, out.data() + off, out.size() - off);
				if(n < 0 && errno == EINTR) {
					continue;
				}
				if(n <= 0) {
					ss_put_err(err, err_len, std::string("write: ") + std::strerror(errno));
					return false;
				}
				off += static_cast<size_t>(n);
			}
			out.clear();
			return true;
		};
		sinsp_evt* e = nullptr;
		while(true) {
			int32_t rc = inspector.next(&e);
			if(rc == SCAP_EOF) {
				break;
			}
			if(rc == SCAP_TIMEOUT || rc == SCAP_FILTERED_EVENT) {
				continue;
			}
			if(rc != SCAP_SUCCESS) {
				flush();
				ss_put_err(err, err_len, inspector.getlasterr());
				return -1;
			}
			if(shown(e) && formatter->tostring(e, rendered)) {
				append_line(rendered, keep_layout, out);
				lines++;
				if(out.size() >= (1u << 20) && !flush()) {
					return -1;
				}
			}
		}
		if(!flush()) {
			return -1;
		}
		*elapsed_ns = static_cast<uint64_t>((std::chrono::steady_clock::now() - start) / std::chrono::nanoseconds(1));
		*lines_out = lines;
		inspector.close();
		return 0;
	} catch(const std::exception& ex) {
		ss_put_err(err, err_len, ex.what());
	} catch(...) {
		ss_put_err(err, err_len, "unknown error while formatting the file");
	}
	return -1;
}

}  // extern "C"
