// scapstream shim over libsinsp 0.20.0: the C entry points of scapstream.h and the capture's
// lifecycle (open, the batches, a set's move to its next file, recordings, stats, close). Records
// are encoded by events.cpp and records.cpp, the caches kept by capture_state.cpp.
//
// One ss_capture owns one sinsp inspector and is driven by one thread (the capture thread);
// nothing here is shared between captures. Every entry point catches every C++ exception so that
// nothing unwinds into the JVM.
#include "scapstream.h"
#include "capture.h"
#include "capture_internal.h"
#include "recorder.h"

#include <libsinsp/sinsp.h>
#include <libsinsp/events/sinsp_events.h>

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

constexpr uint32_t kFlagProcinfo = 1u;
constexpr uint32_t kFlagPageFaults = 2u;
constexpr uint32_t kFlagNoEnterRecords = 4u;
constexpr uint32_t kFlagScrubExisting = 8u;

thread_local int32_t g_error_kind = SS_ERRK_NONE;
thread_local std::string g_error_source;  // the file of a set that the last error is about

// SS_ERRK_NOT_CAPTURE unless the (possibly gzipped) file starts with a pcapng section header block,
// the only start libscap's savefile reader accepts; then what its reader threw was the rest
int32_t classify_unreadable_capture(const char* path, int32_t otherwise) {
	gzFile f = gzopen(path, "rb");
	if(f == nullptr) {
		return SS_ERRK_FILE;
	}
	unsigned char magic[4] = {};
	int n = gzread(f, magic, sizeof magic);
	gzclose(f);
	static const unsigned char kShb[4] = {0x0a, 0x0d, 0x0d, 0x0a};
	return n == 4 && std::memcmp(magic, kShb, 4) == 0 ? otherwise : SS_ERRK_NOT_CAPTURE;
}

void put_err(char* err, int32_t err_len, const std::string& msg) {
	if(err == nullptr || err_len <= 0) {
		return;
	}
	// one line: the Java side prints it as is
	std::string line = msg;
	// libscap names its source file and line (" at /…/scap_savefile.c, line 1947"): a path of the
	// machine that built the libs, nothing the reader can act on
	for(size_t at; (at = line.find(" at /")) != std::string::npos;) {
		size_t ln = line.find(", line ", at);
		if(ln == std::string::npos) {
			break;
		}
		size_t end = ln + 7;
		while(end < line.size() && line[end] >= '0' && line[end] <= '9') {
			end++;
		}
		line.erase(at, end - at);
	}
	for(char& ch : line) {
		if(ch == '\n' || ch == '\r') {
			ch = ' ';
		}
	}
	while(!line.empty() && line.back() == ' ') {
		line.pop_back();
	}
	size_t n = std::min(line.size(), static_cast<size_t>(err_len - 1));
	std::memcpy(err, line.data(), n);
	err[n] = '\0';
}

libsinsp::events::set<ppm_sc_code> live_sc_set(uint32_t flags) {
	auto sc = libsinsp::events::all_sc_set();
	if(!(flags & kFlagPageFaults)) {
		sc.remove(PPM_SC_PAGE_FAULT_USER);
		sc.remove(PPM_SC_PAGE_FAULT_KERNEL);
	}
	sc.insert(PPM_SC_SCHED_SWITCH);
	sc.insert(PPM_SC_SCHED_PROCESS_EXIT);
	sc.insert(PPM_SC_SIGNAL_DELIVER);
	return sc;
}

std::string file_problem(const char* path) {
	struct stat st;
	if(path == nullptr || *path == '\0') {
		return "no capture file given";
	}
	if(stat(path, &st) != 0) {
		return std::string(path) + ": " + std::strerror(errno);
	}
	if(S_ISDIR(st.st_mode)) {
		return std::string(path) + ": is a directory, not a capture file";
	}
	if(access(path, R_OK) != 0) {
		return std::string(path) + ": " + std::strerror(errno);
	}
	return "";
}

std::unique_ptr<sinsp> open_file_inspector(const std::string& path, const std::string& filter, int32_t* stage) {
	auto i = std::make_unique<sinsp>();
	i->set_auto_threads_purging(true);
	// a file that starts as a capture but cannot be opened ends inside its header or tables
	*stage = SS_ERRK_TRUNCATED;
	i->open_savefile(path);
	if(!filter.empty()) {
		*stage = SS_ERRK_FILTER;
		i->set_filter(filter);
	}
	*stage = SS_ERRK_OTHER;
	return i;
}

uint64_t file_size(const std::string& path) {
	struct stat st;
	return stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// Time of a file's first event but syscall enters (UINT64_MAX when none), to read a set in
// event-time order.
uint64_t first_event_ts(const std::string& path) {
	int32_t stage = SS_ERRK_OTHER;
	auto i = open_file_inspector(path, "", &stage);
	sinsp_evt* e = nullptr;
	for(int n = 0; n < 1000000; n++) {
		int32_t rc = i->next(&e);
		// not a syscall's enter: a rotated file starts with the enters of syscalls in flight
		if(rc == SCAP_SUCCESS && !(PPME_IS_ENTER(e->get_type()) && (e->get_category() & EC_SYSCALL))) {
			return e->get_ts();
		}
		if(rc != SCAP_TIMEOUT && rc != SCAP_FILTERED_EVENT) {
			break;
		}
	}
	return UINT64_MAX;
}

// The end of one file of a set: the next one's inspector takes over. What the shim knows of each
// thread (its start, container, last syscall enter) carries on, so a process that spans files is
// one process; libsinsp's objects are taken afresh from the new file's tables.
bool advance_file(ss_capture* c) {
	if(c->live || c->file_at + 1 >= c->files.size()) {
		return false;
	}
	const std::string& path = c->files[c->file_at + 1];
	int32_t stage = SS_ERRK_OTHER;
	std::unique_ptr<sinsp> next;
	try {
		next = open_file_inspector(path, c->filter, &stage);
	} catch(...) {
		g_error_source = path;
		g_error_kind = stage == SS_ERRK_TRUNCATED ? classify_unreadable_capture(path.c_str(), stage) : stage;
		throw;
	}
	c->done_bytes += c->file_bytes[c->file_at];
	c->file_at++;
	// the earliest file that knew a thread knew it best: its entry stands until the thread is
	// reported or leaves the tables
	std::unordered_map<int64_t, ss_capture::carried_times> carried;
	c->inspector->m_thread_manager->get_threads()->loop([&](sinsp_threadinfo& t) {
		auto it = c->threads.find(t.m_tid);
		if(it == c->threads.end() || !it->second.reported) {
			auto old = c->carried.find(t.m_tid);
			carried[t.m_tid] = old != c->carried.end() && old->second.clone_ts != 0
			                           ? old->second
			                           : ss_capture::carried_times{t.m_clone_ts, t.m_lastexec_ts};
		}
		return true;
	});
	c->carried = std::move(carried);
	// sockets as the previous file's libsinsp had them: a file's fd table keeps neither a socket's
	// role (client, server) nor the direction its tuple was seen in, which name a connection
	struct carried_socket {
		scap_fd_type type;
		uint32_t roles;
		std::string name;
		sinsp_sockinfo info;
	};
	std::unordered_map<int64_t, std::unordered_map<int64_t, carried_socket>> sockets;
	const uint32_t role_bits = sinsp_fdinfo::FLAGS_ROLE_CLIENT | sinsp_fdinfo::FLAGS_ROLE_SERVER;
	c->inspector->m_thread_manager->get_threads()->loop([&](sinsp_threadinfo& t) {
		if(auto* table = t.get_fd_table(); table != nullptr && t.is_main_thread()) {
			table->loop([&](int64_t fd, sinsp_fdinfo& info) {
				if(info.is_ipv4_socket() || info.is_ipv6_socket()) {
					sockets[t.m_tid][fd] = {info.m_type, info.m_flags & role_bits, info.m_name, info.m_sockinfo};
				}
				return true;
			});
		}
		return true;
	});
	c->inspector->close();
	c->inspector = std::move(next);
	c->inspector->m_thread_manager->get_threads()->loop([&](sinsp_threadinfo& t) {
		auto st = sockets.find(t.m_tid);
		if(st == sockets.end() || !t.is_main_thread() || t.get_fd_table() == nullptr) {
			return true;
		}
		t.get_fd_table()->loop([&](int64_t fd, sinsp_fdinfo& info) {
			auto it = st->second.find(fd);
			if(it != st->second.end() && it->second.type == info.m_type) {
				info.m_flags = (info.m_flags & ~role_bits) | it->second.roles;
				info.m_name = it->second.name;
				info.m_sockinfo = it->second.info;
			}
			return true;
		});
		return true;
	});
	for(auto& entry : c->threads) {
		entry.second.rebind = true;
		entry.second.ptr = nullptr;
		for(auto& slot : entry.second.fd_cache) {
			slot = thread_seen::fd_slot();
		}
	}
	c->fast_thread = nullptr;
	c->fast_seen = nullptr;
	return true;
}

void scrub_threads(ss_capture* c) {
	if(!c->scrub_existing || c->scrubbed) {
		return;
	}
	c->scrubbed = true;
	// the dumper writes the current thread table: keep names, drop what could identify the machine
	// or its users
	c->inspector->m_thread_manager->get_threads()->loop([](sinsp_threadinfo& t) {
		t.m_args.clear();
		t.m_env.clear();
		t.m_exe = t.m_comm;
		t.m_exepath.clear();
		t.m_cmd_line.clear();
		t.set_cwd("/");
		if(t.get_fd_table() != nullptr) {
			t.get_fd_table()->clear();
		}
		return true;
	});
}

std::vector<std::string> split_lines(const char* s) {
	std::vector<std::string> out;
	std::string cur;
	for(const char* p = s; p != nullptr && *p != '\0'; p++) {
		if(*p == '\n') {
			if(!cur.empty()) {
				out.push_back(cur);
			}
			cur.clear();
		} else {
			cur.push_back(*p);
		}
	}
	if(!cur.empty()) {
		out.push_back(cur);
	}
	return out;
}

}  // namespace

extern "C" {

namespace {
// libpman and libscap say why a live open failed only through libsinsp's logger; scap_init's own
// message is just "Initialization issues". Keep the last warnings and errors logged while opening
// so the one-line error can name the cause. SCAPSTREAM_NATIVE_LOG=1 also prints every message.
thread_local std::string g_open_log;
bool g_log_stderr = false;

void on_log(std::string&& msg, sinsp_logger::severity sev) {
	if(g_log_stderr) {
		std::fprintf(stderr, "libsinsp: %s\n", msg.c_str());
	}
	if(sev <= sinsp_logger::SEV_WARNING) {
		while(!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) {
			msg.pop_back();
		}
		if(g_open_log.size() < 2048) {
			if(!g_open_log.empty()) {
				g_open_log += "; ";
			}
			g_open_log += msg;
		}
	}
}

// Once per process, whichever thread opens first (a function-local static is initialised once).
void install_logger() {
	static const bool installed = [] {
		const char* v = std::getenv("SCAPSTREAM_NATIVE_LOG");
		g_log_stderr = v != nullptr && *v != '\0' && *v != '0';
		libsinsp_logger()->add_callback_log(on_log);
		libsinsp_logger()->set_severity(g_log_stderr ? sinsp_logger::SEV_DEBUG : sinsp_logger::SEV_WARNING);
		return true;
	}();
	(void)installed;
}
}  // namespace

ss_capture* ss_open(int mode,
                    const char* source,
                    const char* filter,
                    uint64_t buffer_bytes,
                    const char* dump_path,
                    uint32_t flags,
                    char* err,
                    int32_t err_len) {
	std::unique_ptr<ss_capture> c;
	install_logger();
	g_open_log.clear();
	g_error_kind = SS_ERRK_NONE;
	g_error_source.clear();
	// the step under way: what a throw from it means
	int32_t stage = SS_ERRK_OTHER;
	try {
		c = std::make_unique<ss_capture>();
		c->mode = mode;
		c->types = type_table();
		c->enter_records = (flags & kFlagNoEnterRecords) == 0;
		c->inspector = std::make_unique<sinsp>();
		c->inspector->set_auto_threads_purging(true);
		if(mode == SS_MODE_FILE) {
			c->files = split_lines(source);
			if(c->files.empty()) {
				c->files.push_back("");
			}
			for(const auto& f : c->files) {
				std::string problem = file_problem(f.c_str());
				if(!problem.empty()) {
					g_error_kind = SS_ERRK_FILE;
					g_error_source = f;
					put_err(err, err_len, problem);
					return nullptr;
				}
				c->file_bytes.push_back(file_size(f));
			}
			if(c->files.size() > 1) {
				// one after the other, by their first event
				std::vector<std::pair<uint64_t, size_t>> order;
				for(size_t i = 0; i < c->files.size(); i++) {
					g_error_source = c->files[i];
					stage = SS_ERRK_TRUNCATED;
					order.emplace_back(first_event_ts(c->files[i]), i);
				}
				std::stable_sort(order.begin(), order.end());
				std::vector<std::string> files;
				std::vector<uint64_t> bytes;
				for(const auto& o : order) {
					files.push_back(c->files[o.second]);
					bytes.push_back(c->file_bytes[o.second]);
				}
				c->files = files;
				c->file_bytes = bytes;
			}
			for(uint64_t b : c->file_bytes) {
				c->set_bytes += b;
			}
			g_error_source = c->files[0];
			source = c->files[0].c_str();
			c->filter = filter != nullptr ? filter : "";
			stage = SS_ERRK_TRUNCATED;
			c->inspector->open_savefile(source);
		} else {
			c->live = true;
			if(flags & kFlagProcinfo) {
				c->inspector->set_get_procs_cpu_from_driver(true);
			}
			unsigned long bytes = buffer_bytes ? buffer_bytes : 8ul * 1024 * 1024;
			stage = SS_ERRK_LIVE;
			if(mode == SS_MODE_MODERN_BPF) {
				c->inspector->open_modern_bpf(bytes, 1, true, live_sc_set(flags));
			} else if(mode == SS_MODE_KMOD) {
				c->inspector->open_kmod(bytes, live_sc_set(flags));
			} else {
				g_error_kind = SS_ERRK_OTHER;
				put_err(err, err_len, "unknown capture mode " + std::to_string(mode));
				return nullptr;
			}
		}
		if(filter != nullptr && *filter != '\0') {
			stage = SS_ERRK_FILTER;
			c->inspector->set_filter(filter);
		}
		stage = SS_ERRK_WRITE;
		c->scrub_existing = (flags & kFlagScrubExisting) != 0;
		if(dump_path != nullptr && *dump_path != '\0') {
			recorder_options o;
			o.path = dump_path;
			scrub_threads(c.get());
			c->recorders.push_back(std::make_unique<recorder>(o));
			c->recorders.back()->start(c->inspector.get());
		}
		stage = SS_ERRK_OTHER;
		// a live capture starts on the first ss_next_batch: events produced while the caller is
		// still setting up (store, threads, JIT) would only fill the kernel's buffers and drop
		// processes that were there before the first event: Java gets them all up front
		c->inspector->m_thread_manager->get_threads()->loop([&](sinsp_threadinfo& t) {
			c->initial_tids.push_back(t.m_tid);
			return true;
		});
		return c.release();
	} catch(const std::exception& ex) {
		g_error_kind = stage == SS_ERRK_TRUNCATED ? classify_unreadable_capture(g_error_source.c_str(), stage) : stage;
		std::string msg = ex.what();
		// libpman's and libbpf's reasons of a live failure; for a file, the log holds only
		// unrelated lines (the host's /proc as libsinsp found it)
		if(mode != SS_MODE_FILE && !g_open_log.empty() && msg.find(g_open_log) == std::string::npos) {
			msg += " (" + g_open_log + ")";
		}
		put_err(err, err_len, msg);
	} catch(...) {
		g_error_kind = stage;
		put_err(err, err_len, "unknown error while opening the capture");
	}
	return nullptr;
}

namespace {
void start_if_live(ss_capture* c) {
	if(c->live && !c->started && !c->stopped) {
		c->inspector->start_capture();
		c->started = true;
	}
}
}  // namespace

int32_t ss_next_batch(ss_capture* c,
                      uint8_t* buf,
                      int32_t cap,
                      int32_t* used_out,
                      int32_t* events_out,
                      int32_t max_wait_ms,
                      char* err,
                      int32_t err_len) {
	*used_out = 0;
	*events_out = 0;
	g_error_kind = SS_ERRK_NONE;
	if(c == nullptr || buf == nullptr || cap < 131072) {  // a record can be up to 64 KiB
		g_error_kind = SS_ERRK_OTHER;
		put_err(err, err_len, "ss_next_batch: bad arguments (buffer below 128 KiB?)");
		return SS_ERROR;
	}
	size_t room = static_cast<size_t>(cap);
	size_t used = 0;
	int32_t events = 0;
	try {
		// initial thread table, in as many batches as it takes
		while(c->initial_pos < c->initial_tids.size()) {
			auto t = c->inspector->get_thread_ref(c->initial_tids[c->initial_pos], false, true);
			if(t && t->m_tid >= 0) {
				bool full = false;
				used += ensure_thread(c, t.get(), 0, buf + used, room - used, &full);
				if(full) {
					*used_out = static_cast<int32_t>(used);
					return SS_OK;
				}
			}
			c->initial_pos++;
		}
		if(c->eof) {
			*used_out = static_cast<int32_t>(used);
			return SS_EOF;
		}
		start_if_live(c);
		auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(max_wait_ms);
		int timeouts = 0;
		int32_t status = SS_OK;
		while(true) {
			sinsp_evt* e = c->pending;
			c->pending = nullptr;
			if(e == nullptr) {
				int32_t rc = c->inspector->next(&e);
				if(rc == SCAP_TIMEOUT || rc == SCAP_FILTERED_EVENT) {
					if(rc == SCAP_FILTERED_EVENT) {
						c->events_seen++;
						continue;
					}
					if(++timeouts % 64 == 0 && std::chrono::steady_clock::now() >= deadline) {
						status = events > 0 ? SS_OK : SS_TIMEOUT;
						break;
					}
					continue;
				}
				if(rc == SCAP_EOF) {
					if(advance_file(c)) {
						continue;
					}
					c->eof = true;
					status = SS_EOF;
					break;
				}
				if(rc != SCAP_SUCCESS) {
					g_error_source = c->files.empty() ? "" : c->files[c->file_at];
					g_error_kind = ss_read_error_kind(c);
					std::string msg = c->inspector->getlasterr();
					put_err(err, err_len, msg.empty() ? "capture read failed" : msg);
					*used_out = static_cast<int32_t>(used);
					*events_out = events;
					return SS_ERROR;
				}
				c->events_seen++;
				for(auto& r : c->recorders) {
					try {
						r->dump(c->inspector.get(), e);
					} catch(...) {
						g_error_kind = SS_ERRK_WRITE;
						throw;
					}
				}
			}
			bool complete = false;
			used += write_event(c, e, buf + used, room - used, &complete);
			if(!complete) {
				c->pending = e;  // stays valid until the next sinsp::next()
				break;
			}
			// *events counts events consumed (an enter without a record included)
			events++;
			if(e->get_scap_evt()->type == PPME_PROCEXIT_1_E) {
				auto it = c->threads.find(e->get_scap_evt()->tid);
				if(it != c->threads.end()) {
					it->second.exited = true;
					it->second.exit_ts = e->get_scap_evt()->ts;
					c->last_exit_ts = it->second.exit_ts;
					c->exited_threads++;
				}
				c->fast_thread = nullptr;
			}
			if(c->live && (events & 1023) == 0 && std::chrono::steady_clock::now() >= deadline) {
				break;
			}
		}
		// every batch reports its skipped enters, so a consumer's per-second counts stay exact
		if(c->skipped > 0) {
			used += write_skipped(c, buf + used, room - used);
		}
		// exited threads are forgotten once libsinsp has dropped them too (bounded table)
		if(c->exited_threads > c->exited_kept + 256) {
			sweep_exited(c, c->last_exit_ts);
		}
		// name and image of a container arrive late (asynchronous runtime lookups): re-check them
		if(!c->containers.empty() && (c->live || c->eof || (c->batches++ & 15) == 0)) {
			used += refresh_containers(c, buf + used, room - used);
		}
		c->events_returned += events;
		*used_out = static_cast<int32_t>(used);
		*events_out = events;
		return status;
	} catch(const std::exception& ex) {
		if(g_error_kind == SS_ERRK_NONE) {
			g_error_kind = c->live ? SS_ERRK_LIVE : SS_ERRK_CORRUPT;
		}
		put_err(err, err_len, ex.what());
	} catch(...) {
		if(g_error_kind == SS_ERRK_NONE) {
			g_error_kind = SS_ERRK_OTHER;
		}
		put_err(err, err_len, "unknown error while reading the capture");
	}
	*used_out = static_cast<int32_t>(used);
	*events_out = events;
	return SS_ERROR;
}

int32_t ss_start(ss_capture* c, char* err, int32_t err_len) {
	if(c == nullptr) {
		return 0;
	}
	try {
		start_if_live(c);
		return 0;
	} catch(const std::exception& ex) {
		put_err(err, err_len, ex.what());
	} catch(...) {
		put_err(err, err_len, "unknown error while starting the capture");
	}
	return -1;
}

int32_t ss_stop(ss_capture* c, char* err, int32_t err_len) {
	if(c == nullptr) {
		return 0;
	}
	try {
		c->stopped = true;
		if(c->live && c->started) {
			c->inspector->stop_capture();
			c->started = false;
		}
		for(auto& r : c->recorders) {
			r->flush();
		}
		return 0;
	} catch(const std::exception& ex) {
		put_err(err, err_len, ex.what());
	} catch(...) {
		put_err(err, err_len, "unknown error while stopping the capture");
	}
	return -1;
}

static int64_t read_permille(ss_capture* c) {
	double p = c->eof ? 100.0 : c->inspector->get_read_progress();
	if(c->files.size() > 1 && c->set_bytes > 0 && !c->eof) {
		// the whole set: the files read, and this one's share
		p = 100.0 * (static_cast<double>(c->done_bytes) + p / 100.0 * static_cast<double>(c->file_bytes[c->file_at])) /
		    static_cast<double>(c->set_bytes);
	}
	return std::clamp(static_cast<int64_t>(p * 10.0), int64_t{0}, int64_t{1000});
}

int32_t ss_stats(ss_capture* c, char* out, int32_t out_len) {
	if(c == nullptr || out == nullptr || out_len <= 0) {
		return -1;
	}
	try {
		std::string s;
		s += "events_seen " + std::to_string(c->events_seen) + "\n";
		s += "events_returned " + std::to_string(c->events_returned) + "\n";
		s += "threads " + std::to_string(c->inspector->m_thread_manager->get_thread_count()) + "\n";
		const scap_machine_info* mi = c->inspector->get_machine_info();
		s += "machine_cpus " + std::to_string(mi != nullptr ? mi->num_cpus : 0) + "\n";
		s += "records_thread " + std::to_string(c->records[SS_REC_THREAD]) + "\n";
		s += "records_container " + std::to_string(c->records[SS_REC_CONTAINER]) + "\n";
		s += "records_fd " + std::to_string(c->records[SS_REC_FD]) + "\n";
		s += "records_memory " + std::to_string(c->records[SS_REC_MEMORY]) + "\n";
		if(!c->live) {
			// how much of the input is read, in thousandths (libscap's file position over its size)
			s += "read_permille " + std::to_string(read_permille(c)) + "\n";
		}
		scap_stats st = {};
		c->inspector->get_capture_stats(&st);
		s += "n_evts " + std::to_string(st.n_evts) + "\n";
		s += "n_drops " + std::to_string(st.n_drops) + "\n";
		s += "n_drops_buffer " + std::to_string(st.n_drops_buffer) + "\n";
		s += "n_drops_scratch_map " + std::to_string(st.n_drops_scratch_map) + "\n";
		s += "n_drops_pf " + std::to_string(st.n_drops_pf) + "\n";
		s += "n_drops_bug " + std::to_string(st.n_drops_bug) + "\n";
		s += "n_preemptions " + std::to_string(st.n_preemptions) + "\n";
		s += "n_suppressed " + std::to_string(st.n_suppressed) + "\n";
		if(c->live) {
			uint32_t nstats = 0;
			int32_t rc = 0;
			const metrics_v2* m = c->inspector->get_capture_stats_v2(
			        // not METRICS_V2_LIBBPF_STATS: it asks the kernel about every program of the
			        // probe, milliseconds the capture thread would not be reading its buffers
			        METRICS_V2_KERNEL_COUNTERS | METRICS_V2_KERNEL_COUNTERS_PER_CPU,
			        &nstats,
			        &rc);
			for(uint32_t i = 0; m != nullptr && i < nstats; i++) {
				if(m[i].type == METRIC_VALUE_TYPE_U64) {
					s += std::string("v2.") + m[i].name + " " + std::to_string(m[i].value.u64) + "\n";
				} else if(m[i].type == METRIC_VALUE_TYPE_U32) {
					s += std::string("v2.") + m[i].name + " " + std::to_string(m[i].value.u32) + "\n";
				}
			}
		}
		size_t n = std::min(s.size(), static_cast<size_t>(out_len - 1));
		std::memcpy(out, s.data(), n);
		out[n] = '\0';
		return static_cast<int32_t>(n);
	} catch(...) {
		return -1;
	}
}

int32_t ss_name(int32_t name_id, char* out, int32_t out_len) {
	if(out == nullptr || out_len <= 0) {
		return -1;
	}
	const char* name = nullptr;
	if(name_id >= kGenericNameBase) {
		int sc = name_id - kGenericNameBase;
		if(sc >= 0 && sc < PPM_SC_MAX) {
			name = scap_get_ppm_sc_name(static_cast<ppm_sc_code>(sc));
		}
	} else if(name_id >= 0 && name_id < PPM_EVENT_MAX) {
		name = scap_get_event_info_table()[name_id].name;
	}
	if(name == nullptr) {
		name = "unknown";
	}
	size_t n = std::min(std::strlen(name), static_cast<size_t>(out_len - 1));
	std::memcpy(out, name, n);
	out[n] = '\0';
	return static_cast<int32_t>(n);
}

int32_t ss_name_id_limit(void) { return kGenericNameBase + PPM_SC_MAX; }

int32_t ss_record_open(ss_capture* c,
                       const char* path,
                       uint64_t max_bytes,
                       uint32_t seconds,
                       uint32_t max_files,
                       uint64_t max_total,
                       uint32_t flags,
                       char* err,
                       int32_t err_len) {
	g_error_kind = SS_ERRK_WRITE;
	if(c == nullptr || path == nullptr || *path == '\0') {
		put_err(err, err_len, "ss_record_open: no capture or no path");
		return -1;
	}
	if(c->files.size() > 1) {
		put_err(err, err_len, "recording while reading a set of files is not supported");
		return -1;
	}
	try {
		recorder_options o;
		o.path = path;
		o.max_bytes = max_bytes;
		o.period_ns = static_cast<uint64_t>(seconds) * 1000000000ull;
		o.max_files = max_files;
		o.max_total = max_total;
		o.gzip = (flags & SS_RECORD_GZIP) != 0;
		scrub_threads(c);
		auto r = std::make_unique<recorder>(o);
		r->start(c->inspector.get());
		c->recorders.push_back(std::move(r));
		g_error_kind = SS_ERRK_NONE;
		return 0;
	} catch(const std::exception& ex) {
		put_err(err, err_len, ex.what());
	} catch(...) {
		put_err(err, err_len, "unknown error while preparing the recording");
	}
	return -1;
}

int32_t ss_record_poll(ss_capture* c, char* out, int32_t out_len) {
	if(c == nullptr || out == nullptr || out_len <= 0) {
		return -1;
	}
	try {
		std::string& s = c->notices;
		for(auto& r : c->recorders) {
			r->flush();
			s += r->take_notices();
		}
		if(s.size() >= static_cast<size_t>(out_len)) {
			return -2;  // kept for a call with more room
		}
		std::memcpy(out, s.data(), s.size());
		out[s.size()] = '\0';
		int32_t n = static_cast<int32_t>(s.size());
		s.clear();
		return n;
	} catch(...) {
		out[0] = '\0';
		return -1;
	}
}

int32_t ss_record_close(ss_capture* c, char* out, int32_t out_len, char* err, int32_t err_len) {
	if(c == nullptr || out == nullptr || out_len <= 0) {
		return -1;
	}
	try {
		std::string s = std::exchange(c->notices, std::string());
		for(auto& r : c->recorders) {
			r->close();
			r->finish();
			s += r->take_notices();
		}
		c->recorders.clear();
		size_t n = std::min(s.size(), static_cast<size_t>(out_len - 1));
		std::memcpy(out, s.data(), n);
		out[n] = '\0';
		return static_cast<int32_t>(n);
	} catch(const std::exception& ex) {
		g_error_kind = SS_ERRK_WRITE;
		put_err(err, err_len, ex.what());
	} catch(...) {
		g_error_kind = SS_ERRK_WRITE;
		put_err(err, err_len, "unknown error while closing the recording");
	}
	return -1;
}

const char* ss_last_error_source(void) { return g_error_source.c_str(); }

int32_t ss_set_snaplen(ss_capture* c, uint32_t snaplen, char* err, int32_t err_len) {
	if(c == nullptr) {
		return -1;
	}
	try {
		if(c->live) {
			c->inspector->set_snaplen(snaplen);
		}
		return 0;
	} catch(const std::exception& ex) {
		put_err(err, err_len, ex.what());
	} catch(...) {
		put_err(err, err_len, "unknown error while setting the snaplen");
	}
	return -1;
}

void ss_close(ss_capture* c) {
	if(c == nullptr) {
		return;
	}
	try {
		c->recorders.clear();
		if(c->live && c->started) {
			c->inspector->stop_capture();
		}
		c->inspector->close();
	} catch(...) {
	}
	try {
		delete c;
	} catch(...) {
	}
}

const char* ss_libs_version(void) { return SS_LIBS_VERSION; }

int32_t ss_abi_version(void) { return SS_ABI_VERSION; }

int32_t ss_last_error_kind(void) { return g_error_kind; }

}  // extern "C"

sinsp* ss_capture_inspector(ss_capture* c) { return c == nullptr ? nullptr : c->inspector.get(); }
void ss_capture_start_if_live(ss_capture* c) { start_if_live(c); }
void ss_capture_count_seen(ss_capture* c, uint64_t n) { c->events_seen += n; }
int32_t ss_capture_next(ss_capture* c, sinsp_evt** e) {
	while(true) {
		int32_t rc = c->inspector->next(e);
		if(rc != SCAP_EOF || !advance_file(c)) {
			if(rc != SCAP_SUCCESS && rc != SCAP_EOF && rc != SCAP_TIMEOUT && rc != SCAP_FILTERED_EVENT) {
				g_error_source = c->files.empty() ? "" : c->files[c->file_at];
			}
			return rc;
		}
	}
}
bool ss_capture_is_live(const ss_capture* c) { return c != nullptr && c->live; }
void ss_put_err(char* err, int32_t err_len, const std::string& msg) { put_err(err, err_len, msg); }
void ss_set_error_kind(int32_t kind) { g_error_kind = kind; }
int32_t ss_read_error_kind(ss_capture* c) {
	return c->live ? SS_ERRK_LIVE
	       : c->inspector->get_read_progress() >= 100.0 ? SS_ERRK_TRUNCATED
	                                                    : SS_ERRK_CORRUPT;
}
std::string ss_file_problem(const char* path) { return file_problem(path); }
