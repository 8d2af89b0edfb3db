// scapstream shim over libsinsp 0.20.0: see scapstream.h for the record layout.
//
// One ss_capture owns one sinsp inspector and is driven by one thread (the capture thread);
// nothing here is shared between captures. Every entry point catches every C++ exception so that
// nothing unwinds into the JVM.
#include "scapstream.h"
#include "capture_internal.h"
#include "recorder.h"

#include <libsinsp/sinsp.h>
#include <libsinsp/dumper.h>
#include <libsinsp/events/sinsp_events.h>
#include <libsinsp/user.h>
#include <libsinsp/filter_check_list.h>
#include <libsinsp/eventformatter.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <linux/capability.h>
#include <zlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
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
constexpr int kGenericNameBase = 1024;

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
	// libscap names its source file and line (" at /…/scap_savefile.c, line 1947"): a build path
	// of this machine, nothing the reader can act on
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

inline void w16(uint8_t* p, uint16_t v) { std::memcpy(p, &v, 2); }
inline void w32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }
inline void w64(uint8_t* p, uint64_t v) { std::memcpy(p, &v, 8); }

inline size_t str_size(const std::string& s) { return 2 + std::min<size_t>(s.size(), 0xffff); }

inline uint8_t* put_str(uint8_t* p, const std::string& s) {
	uint16_t n = static_cast<uint16_t>(std::min<size_t>(s.size(), 0xffff));
	w16(p, n);
	std::memcpy(p + 2, s.data(), n);
	return p + 2 + n;
}

inline size_t align8(size_t n) { return (n + 7) & ~static_cast<size_t>(7); }

const char* runtime_name(sinsp_container_type t) {
	switch(t) {
	case CT_DOCKER: return "docker";
	case CT_LXC: return "lxc";
	case CT_LIBVIRT_LXC: return "libvirt-lxc";
	case CT_MESOS: return "mesos";
	case CT_RKT: return "rkt";
	case CT_CUSTOM: return "custom";
	case CT_CRI: return "cri";
	case CT_CONTAINERD: return "containerd";
	case CT_CRIO: return "cri-o";
	case CT_BPM: return "bpm";
	case CT_STATIC: return "static";
	case CT_PODMAN: return "podman";
	default: return "unknown";
	}
}

// What the shim last told Java about one thread.
struct thread_seen {
	const sinsp_threadinfo* ptr = nullptr;
	uint64_t clone_ts = 0;
	uint64_t exec_ts = 0;
	uint32_t container_key = 0;
	bool exited = false;  // after procexit libsinsp's leftover info is not to be trusted
	uint64_t exit_ts = 0;  // event time of the procexit
	bool before_capture = false;  // from the initial thread table: its start is "before" (0)
	uint64_t initial_exec_ts = 0;  // its exec as the initial table had it, also "before"
	// the next file of a set holds this thread afresh: take its object, keep what Java was told
	bool rebind = false;
	bool exec_override = false;  // exec_ts is the new file's value; reported_exec stands for it
	uint64_t reported_exec = 0;
	bool reported = false;  // Java was told of it: its start (reported_clone) is fixed from then on
	uint64_t reported_clone = 0;
	int64_t enter_fd = -1;  // the fd of its last syscall enter (libsinsp's, kept across files)
	bool enter_in_previous_file = false;
	uint64_t enter_ts = 0;       // the thread's last syscall enter, for the exit's latency
	uint16_t enter_type = 0xffff;
	uint32_t uid = 0;
	size_t comm_len = 0;
	// memory of the process (only used for main threads)
	uint32_t vmsize = 0, vmrss = 0, vmswap = 0;
	uint64_t pf = 0;
	// fds this thread used recently (direct-mapped by fd number) and their keys, so repeated I/O
	// on the same few fds skips interning; an entry counts only if object, type and name match
	struct fd_slot {
		const sinsp_fdinfo* ptr = nullptr;
		uint32_t key = 0;
		uint8_t type = 0;
		uint64_t gen = 0;
		std::string name;
	};
	fd_slot fd_cache[4];
};

struct container_seen {
	uint32_t key;
	std::string name;
	std::string image;
	int lookup;
	const char* runtime_from_cgroup;  // used while libsinsp has no container info
};

// The runtime, told by the cgroup path's shape (for containers whose runtime API libsinsp cannot
// ask, e.g. cri-o or containerd without a CRI socket).
const char* runtime_from_cgroups(const sinsp_threadinfo& t) {
	for(const auto& cg : t.cgroups()) {
		const std::string& p = cg.second;
		if(p.find("crio-") != std::string::npos || p.find("/crio/") != std::string::npos) {
			return "cri-o";
		}
		if(p.find("cri-containerd-") != std::string::npos || p.find("/containerd/") != std::string::npos) {
			return "containerd";
		}
		if(p.find("libpod-") != std::string::npos) {
			return "podman";
		}
		if(p.find("docker-") != std::string::npos || p.find("/docker/") != std::string::npos) {
			return "docker";
		}
	}
	return "unknown";
}

enum special_kind : uint8_t { SPECIAL_NONE, SPECIAL_SWITCH, SPECIAL_PROCINFO, SPECIAL_SIGNAL, SPECIAL_META };

struct type_info {
	uint8_t flags;        // SS_F_EXIT | SS_F_IO_READ | SS_F_IO_WRITE | SS_F_SYSCALL
	uint8_t res_kind;     // 0 none, 1 signed, 2 unsigned
	bool uses_fd;         // EF_USES_FD | EF_CREATES_FD | EF_DESTROYS_FD
	bool changes_fds;     // may create, destroy or rename an fd (see fd_gen)
	bool updates_mem;     // libsinsp updates a process's memory gauges on it
	bool changes_state;   // EF_MODIFIES_STATE etc.: thread details may change (exec, setuid...)
	bool generic;         // generic syscall event: its name comes from a parameter
	bool large;           // EF_LARGE_PAYLOAD: 32-bit parameter lengths
	bool opens;           // the exit of open, openat, openat2, creat or open_by_handle_at
	special_kind special;
};

}  // namespace

struct ss_capture {
	std::unique_ptr<sinsp> inspector;
	// fd.name of a failed open, as libsinsp resolves it from the path and the cwd or dirfd; made for
	// `failed_open_for`, rebuilt when a set moves to its next file's inspector
	std::unique_ptr<sinsp_filter_check_list> open_checks;
	std::unique_ptr<sinsp_evt_formatter> open_path;
	const sinsp* failed_open_for = nullptr;
	std::unique_ptr<sinsp_fdinfo> failed_open_fd;
	std::vector<std::unique_ptr<recorder>> recorders;
	bool scrub_existing = false;
	bool scrubbed = false;
	// several files read as one timeline, one after the other (see advance_file)
	std::vector<std::string> files;
	std::vector<uint64_t> file_bytes;
	size_t file_at = 0;
	uint64_t set_bytes = 0;
	uint64_t done_bytes = 0;  // of the files already read
	std::string filter;
	// start and exec times the previous file's libsinsp knew of threads Java was not told of yet
	// (a child seen only through its parent's clone): the next file's tables do not carry them
	struct carried_times {
		uint64_t clone_ts;
		uint64_t exec_ts;
	};
	std::unordered_map<int64_t, carried_times> carried;
	std::string notices;  // of the recordings, not yet taken by ss_record_poll
	int mode = SS_MODE_FILE;
	bool live = false;
	bool started = false;
	bool stopped = false;  // by ss_stop: never (re)started after
	bool eof = false;
	bool enter_records = true;
	uint64_t skipped = 0;     // enters read without a record, not yet reported
	uint64_t skipped_ts = 0;  // ts of the last of them
	uint64_t skipped_sec_end = 0;  // end of the second they all fall in
	sinsp_evt* pending = nullptr;  // an event that did not fit in the last batch
	uint64_t events_returned = 0;
	uint64_t events_seen = 0;  // every sinsp::next success, filtered or not
	bool initial_threads_sent = false;
	std::vector<int64_t> initial_tids;
	size_t initial_pos = 0;
	std::unordered_map<int64_t, thread_seen> threads;
	const type_info* types = nullptr;  // per event type, see type_table()
	sinsp_threadinfo* fast_thread = nullptr;  // thread of the last event, checked by ensure_thread
	thread_seen* fast_seen = nullptr;
	uint64_t fd_gen = 1;  // bumped by every event that may create, close or rename an fd
	static constexpr size_t kThreadCache = 256;
	struct {
		int64_t tid = -1;
		thread_seen* seen = nullptr;
	} thread_cache[kThreadCache];  // see ensure_thread
	std::unordered_map<std::string, container_seen> containers;  // by 12-hex id
	uint32_t next_container_key = 1;
	std::unordered_map<std::string, uint32_t> fds;  // by name + '\0' + type + l4
	uint32_t next_fd_key = 1;
	std::string fd_key_scratch;
	std::vector<std::string> pending_container_ids;  // containers to (re)describe
	uint64_t batches = 0;
	uint64_t exited_threads = 0;  // entries of `threads` marked exited and not yet forgotten
	uint64_t last_exit_ts = 0;    // event time of the latest procexit
	uint64_t exited_kept = 0;     // exited entries the last sweep kept (too recent)
	uint64_t records[6] = {0, 0, 0, 0, 0, 0};  // by SS_REC_* kind, for ss_stats
};

namespace {

uint32_t container_key_of(ss_capture* c, const sinsp_threadinfo& t) {
	const std::string& id = t.m_container_id;
	if(id.empty()) {
		return 0;
	}
	auto it = c->containers.find(id);
	if(it != c->containers.end()) {
		return it->second.key;
	}
	container_seen seen{c->next_container_key++, "", "", -1, runtime_from_cgroups(t)};
	c->containers.emplace(id, seen);
	c->pending_container_ids.push_back(id);
	return seen.key;
}

size_t container_record_size(const std::string& id,
                             const std::string& full_id,
                             const std::string& name,
                             const std::string& image,
                             const char* runtime) {
	return align8(SS_CONTAINER_FIXED + str_size(id) + str_size(full_id) + str_size(name) +
	              str_size(image) + str_size(runtime));
}

// Describes container `id` into p if it fits; returns bytes written or 0 when out of room.
size_t write_container(ss_capture* c, const std::string& id, uint8_t* p, size_t room) {
	auto& seen = c->containers[id];
	std::string full_id = id, name, image;
	const char* runtime = seen.runtime_from_cgroup;
	int lookup = 1;
	uint32_t type = CT_UNKNOWN;
	auto info = c->inspector->m_container_manager.get_container(id);
	if(info) {
		full_id = info->m_full_id.empty() ? id : info->m_full_id;
		name = info->m_name;
		image = info->m_image;
		if(info->m_type != CT_UNKNOWN) {
			runtime = runtime_name(info->m_type);
		}
		type = info->m_type;
		lookup = info->is_successful() ? 0 : 1;
	}
	size_t len = container_record_size(id, full_id, name, image, runtime);
	if(len > room) {
		return 0;
	}
	std::memset(p, 0, len);
	c->records[SS_REC_CONTAINER]++;
	w16(p, SS_REC_CONTAINER);
	w16(p + 2, static_cast<uint16_t>(len));
	w32(p + 8, seen.key);
	w32(p + 12, type);
	w32(p + 16, static_cast<uint32_t>(lookup));
	uint8_t* q = p + SS_CONTAINER_FIXED;
	q = put_str(q, id);
	q = put_str(q, full_id);
	q = put_str(q, name);
	q = put_str(q, image);
	put_str(q, runtime);
	seen.name = name;
	seen.image = image;
	seen.lookup = lookup;
	return len;
}

std::string joined_args(const sinsp_threadinfo& t) {
	std::string out;
	for(const auto& a : t.m_args) {
		if(!out.empty()) {
			out.push_back(' ');
		}
		out.append(a);
	}
	return out;
}

std::string user_name(ss_capture* c, const sinsp_threadinfo& t) {
	if(!c->inspector->m_usergroup_manager) {
		return "";
	}
	auto* u = c->inspector->m_usergroup_manager->get_user(t.m_container_id, t.m_uid);
	return u ? std::string(u->name) : std::string();
}

// Describes thread t into p if it fits; returns bytes written or 0 when out of room.
size_t write_thread(ss_capture* c,
                    const sinsp_threadinfo& t,
                    uint32_t ckey,
                    uint64_t clone_ts,
                    uint64_t exec_ts,
                    uint8_t* p,
                    size_t room) {
	std::string args = joined_args(t);
	std::string user = user_name(c, t);
	size_t len = align8(SS_THREAD_FIXED + str_size(t.m_comm) + str_size(t.m_exe) +
	                    str_size(t.m_exepath) + str_size(args) + str_size(user));
	if(len > 0xfff8) {  // absurdly long args: cut them, the record length is a u16
		args.resize(args.size() - std::min(args.size(), len - 0xfff8));
		len = align8(SS_THREAD_FIXED + str_size(t.m_comm) + str_size(t.m_exe) +
		             str_size(t.m_exepath) + str_size(args) + str_size(user));
	}
	if(len > room) {
		return 0;
	}
	std::memset(p, 0, len);
	c->records[SS_REC_THREAD]++;
	w16(p, SS_REC_THREAD);
	w16(p + 2, static_cast<uint16_t>(len));
	w64(p + 8, static_cast<uint64_t>(t.m_tid));
	w64(p + 16, static_cast<uint64_t>(t.m_pid));
	w64(p + 24, static_cast<uint64_t>(t.m_ptid));
	w64(p + 32, clone_ts);
	w64(p + 40, exec_ts);
	w32(p + 48, t.m_uid);
	w32(p + 52, ckey);
	w32(p + 56, t.m_flags);
	w32(p + 60, static_cast<uint32_t>(t.m_vpid));
	uint8_t* q = p + SS_THREAD_FIXED;
	q = put_str(q, t.m_comm);
	q = put_str(q, t.m_exe);
	q = put_str(q, t.m_exepath);
	q = put_str(q, args);
	put_str(q, user);
	return len;
}

// Makes sure Java knows thread t (and its container and memory) before an event refers to it.
// Returns the bytes of the records written; sets *full when it ran out of room. Each record is
// marked as sent only once written whole, and what was written stays in the batch, so a batch
// that fills up mid-way loses nothing: the caller retries the event in the next batch.
size_t ensure_thread(ss_capture* c,
                     sinsp_threadinfo* t,
                     uint64_t ts,
                     uint8_t* p,
                     size_t room,
                     bool* full,
                     thread_seen** seen_out = nullptr,
                     bool check_memory = true) {
	size_t used = 0;
	// a direct-mapped cache in front of c->threads (element pointers of an unordered_map survive
	// rehashing; an erased thread's entry is cleared)
	auto& slot = c->thread_cache[static_cast<uint64_t>(t->m_tid) & (ss_capture::kThreadCache - 1)];
	if(slot.tid != t->m_tid || slot.seen == nullptr) {
		slot.tid = t->m_tid;
		slot.seen = &c->threads[t->m_tid];
	}
	auto& seen = *slot.seen;
	if(seen_out != nullptr) {
		*seen_out = &seen;
	}
	// a tid reused by a thread cloned after the old one's exit is a new thread
	if(seen.exited && t->m_clone_ts > seen.exit_ts) {
		seen = thread_seen();
	}
	if(!seen.reported && !c->carried.empty()) {
		auto it = c->carried.find(t->m_tid);
		if(it != c->carried.end()) {
			// as the previous file's libsinsp had them, where it knew them (a child known only by its
			// own first event has no start yet) and this file has not changed them since (an exec)
			if(it->second.clone_ts != 0) {
				seen.reported = true;
				seen.reported_clone = it->second.clone_ts;
			}
			if(it->second.exec_ts != 0 && t->m_lastexec_ts == 0) {
				seen.reported_exec = it->second.exec_ts;
				seen.exec_override = true;
				seen.exec_ts = 0;
			}
			c->carried.erase(it);
		}
	}
	if(seen.rebind) {
		seen.rebind = false;
		seen.enter_in_previous_file = true;
		if(!seen.exited) {
			seen.ptr = t;
			// a file's thread table does not carry the exec time (0): the one reported stands; a
			// value is an exec read in this file, reported as such
			if(t->m_lastexec_ts == 0 && seen.exec_ts != 0) {
				seen.exec_override = true;
				seen.exec_ts = 0;
			}
			seen.clone_ts = t->m_clone_ts;
		}
	}
	// a thread that exited keeps what Java was told (a last switch-out can follow its procexit)
	bool changed = !seen.exited &&
	               (seen.ptr != t || seen.clone_ts != t->m_clone_ts || seen.exec_ts != t->m_lastexec_ts ||
	                seen.uid != t->m_uid || seen.comm_len != t->m_comm.size());
	uint32_t ckey = seen.container_key;
	if(changed) {
		ckey = container_key_of(c, *t);
		// a new container is described before the thread that lives in it
		while(!c->pending_container_ids.empty()) {
			size_t n = write_container(c, c->pending_container_ids.back(), p + used, room - used);
			if(n == 0) {
				*full = true;
				return used;
			}
			used += n;
			c->pending_container_ids.pop_back();
		}
		// a live table knows some starts from /proc, a recording's table none: both say "before"
		if(c->initial_pos < c->initial_tids.size() && !seen.before_capture) {
			seen.before_capture = true;
			seen.initial_exec_ts = t->m_lastexec_ts;
		}
		bool exec_before = seen.before_capture && t->m_lastexec_ts == seen.initial_exec_ts;
		uint64_t exec = exec_before ? 0 : t->m_lastexec_ts;
		if(seen.exec_override && t->m_lastexec_ts == seen.exec_ts) {
			exec = seen.reported_exec;
		} else {
			seen.exec_override = false;
		}
		// a thread's start never changes; libsinsp's may, when the next file of a set or an exec
		// gives it a new object
		// (but a child reported before libsinsp knew its clone, from its own first event, gets it then)
		bool fixed = seen.reported && (seen.reported_clone != 0 || seen.before_capture);
		uint64_t clone = fixed ? seen.reported_clone : seen.before_capture ? 0 : t->m_clone_ts;
		size_t n = write_thread(c, *t, ckey, clone, exec, p + used, room - used);
		if(n == 0) {
			*full = true;
				return used;
		}
		used += n;
		seen.ptr = t;
		seen.clone_ts = t->m_clone_ts;
		seen.exec_ts = t->m_lastexec_ts;
		seen.reported_exec = exec;
		seen.reported_clone = clone;
		seen.reported = true;
		seen.uid = t->m_uid;
		seen.comm_len = t->m_comm.size();
		seen.container_key = ckey;
	}
	if((changed || check_memory) && !seen.exited && t->is_main_thread()) {
		uint64_t pf = (t->m_pfminor & ((1ull << 40) - 1)) | (t->m_pfmajor << 40);
		if(changed || seen.vmsize != t->m_vmsize_kb || seen.vmrss != t->m_vmrss_kb ||
		   seen.vmswap != t->m_vmswap_kb || seen.pf != pf) {
			if(room - used < SS_MEMORY_SIZE) {
				*full = true;
				return used;
			}
			uint8_t* q = p + used;
			std::memset(q, 0, SS_MEMORY_SIZE);
			c->records[SS_REC_MEMORY]++;
			w16(q, SS_REC_MEMORY);
			w16(q + 2, SS_MEMORY_SIZE);
			w64(q + 8, static_cast<uint64_t>(t->m_pid));
			w64(q + 16, ts);
			w32(q + 24, t->m_vmsize_kb);
			w32(q + 28, t->m_vmrss_kb);
			w32(q + 32, t->m_vmswap_kb);
			w64(q + 40, pf);
			used += SS_MEMORY_SIZE;
			seen.vmsize = t->m_vmsize_kb;
			seen.vmrss = t->m_vmrss_kb;
			seen.vmswap = t->m_vmswap_kb;
			seen.pf = pf;
		}
	}
	return used;
}

// A failed open names no fd: a file entry for the path it tried (reused for every one), so its
// errors count against that file. nullptr when libsinsp cannot tell the path.
sinsp_fdinfo* failed_open_file(ss_capture* c, sinsp_evt* e) {
	if(c->failed_open_for != c->inspector.get()) {
		c->open_checks = std::make_unique<sinsp_filter_check_list>();
		c->open_path = std::make_unique<sinsp_evt_formatter>(c->inspector.get(), *c->open_checks);
		c->open_path->set_format(sinsp_evt_formatter::OF_NORMAL, "%fd.name");
		c->failed_open_fd = c->inspector->build_fdinfo();
		c->failed_open_for = c->inspector.get();
	}
	std::string name;
	if(!c->open_path->tostring(e, name) || name.empty() || name == "<NA>") {
		return nullptr;
	}
	c->failed_open_fd->m_type = SCAP_FD_FILE_V2;
	c->failed_open_fd->m_name = name;
	return c->failed_open_fd.get();
}

// Returns the fd key (writing an fd record first when new), 0 for none, UINT32_MAX when out of room.
uint32_t fd_key_of(ss_capture* c, const sinsp_fdinfo* fd, uint8_t* p, size_t room, size_t* used) {
	if(fd == nullptr) {
		return 0;
	}
	std::string& k = c->fd_key_scratch;
	k.assign(fd->m_name);
	k.push_back('\0');
	k.push_back(static_cast<char>(fd->m_type));
	uint8_t l4 = static_cast<uint8_t>(fd->get_l4proto());
	k.push_back(static_cast<char>(l4));
	auto it = c->fds.find(k);
	if(it != c->fds.end()) {
		return it->second;
	}
	size_t len = align8(SS_FD_FIXED + str_size(fd->m_name));
	if(len > room) {
		return UINT32_MAX;
	}
	uint32_t key = c->next_fd_key++;
	std::memset(p, 0, len);
	c->records[SS_REC_FD]++;
	w16(p, SS_REC_FD);
	w16(p + 2, static_cast<uint16_t>(len));
	w32(p + 8, key);
	p[12] = static_cast<uint8_t>(fd->m_type);
	p[13] = l4;
	p[14] = fd->is_role_client() ? 1 : (fd->is_role_server() ? 2 : 0);
	uint16_t sport = 0, dport = 0;
	if(fd->m_type == SCAP_FD_IPV4_SOCK) {
		sport = fd->m_sockinfo.m_ipv4info.m_fields.m_sport;
		dport = fd->m_sockinfo.m_ipv4info.m_fields.m_dport;
	} else if(fd->m_type == SCAP_FD_IPV6_SOCK) {
		sport = fd->m_sockinfo.m_ipv6info.m_fields.m_sport;
		dport = fd->m_sockinfo.m_ipv6info.m_fields.m_dport;
	} else if(fd->m_type == SCAP_FD_IPV4_SERVSOCK) {
		dport = fd->m_sockinfo.m_ipv4serverinfo.m_port;
	} else if(fd->m_type == SCAP_FD_IPV6_SERVSOCK) {
		dport = fd->m_sockinfo.m_ipv6serverinfo.m_port;
	}
	w16(p + 16, sport);
	w16(p + 18, dport);
	put_str(p + SS_FD_FIXED, fd->m_name);
	c->fds.emplace(k, key);
	*used += len;
	return key;
}

// Forgets exited threads libsinsp has dropped too, once their exit is kKeepExitedNs of event time
// old: a late switch-out still finds its container. Event time, not batch boundaries, decides,
// so a live capture and a replay of its recording attribute the same slices.
constexpr uint64_t kKeepExitedNs = 2000000000ull;

void sweep_exited(ss_capture* c, uint64_t now_ts) {
	uint64_t left = 0;
	for(auto it = c->threads.begin(); it != c->threads.end();) {
		if(it->second.exited && it->second.exit_ts + kKeepExitedNs > now_ts) {
			left++;
			++it;
		} else if(it->second.exited && !c->inspector->get_thread_ref(it->first, false, true)) {
			c->thread_cache[static_cast<uint64_t>(it->first) & (ss_capture::kThreadCache - 1)].seen = nullptr;
			it = c->threads.erase(it);
		} else {
			++it;
		}
	}
	c->exited_threads = left;
	c->exited_kept = left;
	c->fast_thread = nullptr;
}

// Reports the enters read without records since the last report; 0 when out of room.
size_t write_skipped(ss_capture* c, uint8_t* p, size_t room) {
	if(room < SS_SKIPPED_SIZE) {
		return 0;
	}
	std::memset(p, 0, SS_SKIPPED_SIZE);
	w16(p, SS_REC_SKIPPED);
	w16(p + 2, SS_SKIPPED_SIZE);
	w64(p + 8, c->skipped_ts);
	w64(p + 16, c->skipped);
	c->skipped = 0;
	return SS_SKIPPED_SIZE;
}

// Re-describes containers whose name/image arrived late (runtime lookups are asynchronous).
size_t refresh_containers(ss_capture* c, uint8_t* p, size_t room) {
	size_t used = 0;
	for(auto& kv : c->containers) {
		auto info = c->inspector->m_container_manager.get_container(kv.first);
		if(!info) {
			continue;
		}
		int lookup = info->is_successful() ? 0 : 1;
		if(lookup != kv.second.lookup || info->m_name != kv.second.name ||
		   info->m_image != kv.second.image) {
			size_t n = write_container(c, kv.first, p + used, room - used);
			if(n == 0) {
				break;
			}
			used += n;
		}
	}
	return used;
}

// Reads integer parameter i of any width (1, 2, 4 or 8 bytes); false when absent or odd-sized.
// Never trusts the event: a capture file may be corrupted.
bool param_int(sinsp_evt* e, uint32_t i, int64_t* out, bool is_signed = true) {
	if(e->get_num_params() <= i) {
		return false;
	}
	const sinsp_evt_param* p = e->get_param(i);
	switch(p->m_len) {
	case 1: *out = is_signed ? p->as<int8_t>() : p->as<uint8_t>(); return true;
	case 2: *out = is_signed ? p->as<int16_t>() : p->as<uint16_t>(); return true;
	case 4: *out = is_signed ? p->as<int32_t>() : static_cast<int64_t>(p->as<uint32_t>()); return true;
	case 8: *out = p->as<int64_t>(); return true;
	default: return false;
	}
}

// What the shim needs to know of an event type, computed once: record flags and how to read the
// return value.
const type_info* type_table() {
	static const std::vector<type_info> table = [] {
		std::vector<type_info> t(PPM_EVENT_MAX);
		const ppm_event_info* infos = scap_get_event_info_table();
		for(uint32_t i = 0; i < PPM_EVENT_MAX; i++) {
			const ppm_event_info& info = infos[i];
			type_info ti{0, 0, false, false, false, false, false, false, false, SPECIAL_NONE};
			ti.large = (info.flags & EF_LARGE_PAYLOAD) != 0;
			if(PPME_IS_EXIT(i)) {
				ti.flags |= SS_F_EXIT;
			}
			if(info.flags & EF_READS_FROM_FD) {
				ti.flags |= SS_F_IO_READ;
			}
			if(info.flags & EF_WRITES_TO_FD) {
				ti.flags |= SS_F_IO_WRITE;
			}
			bool syscall = libsinsp::events::is_syscall_event(static_cast<ppm_event_code>(i));
			if(syscall) {
				ti.flags |= SS_F_SYSCALL;
			}
			if(syscall && PPME_IS_EXIT(i) && info.nparams > 0) {
				switch(info.params[0].type) {
				case PT_ERRNO: case PT_FD: case PT_PID: case PT_INT64: case PT_INT32:
					ti.res_kind = 1;
					break;
				case PT_UINT64: case PT_UINT32:
					ti.res_kind = 2;
					break;
				default:
					break;
				}
			}
			ti.uses_fd = (info.flags & (EF_USES_FD | EF_CREATES_FD | EF_DESTROYS_FD)) != 0;
			ti.changes_fds = (info.flags & (EF_CREATES_FD | EF_DESTROYS_FD | EF_MODIFIES_STATE)) != 0;
			ti.changes_state = ti.changes_fds || !syscall;
			ti.generic = i == PPME_GENERIC_E || i == PPME_GENERIC_X;
			ti.opens = i == PPME_SYSCALL_OPEN_X || i == PPME_SYSCALL_OPENAT_X || i == PPME_SYSCALL_OPENAT_2_X ||
			           i == PPME_SYSCALL_OPENAT2_X || i == PPME_SYSCALL_CREAT_X ||
			           i == PPME_SYSCALL_OPEN_BY_HANDLE_AT_X;
			if(ti.opens) {
				ti.flags |= SS_F_OPEN;
			}
			if(i == PPME_SCHEDSWITCH_6_E) {
				ti.special = SPECIAL_SWITCH;
			} else if(i == PPME_PROCINFO_E) {
				ti.special = SPECIAL_PROCINFO;
			} else if(i == PPME_SIGNALDELIVER_E) {
				ti.special = SPECIAL_SIGNAL;
			} else if(i == PPME_CONTAINER_JSON_E || i == PPME_CONTAINER_JSON_2_E || i == PPME_PROCEXIT_1_E) {
				ti.special = SPECIAL_META;
			}
			// where libsinsp's parser sets vm_size/rss/swap and page faults (parsers.cpp)
			static const char* const mem_events[] = {"switch", "brk", "mmap", "mmap2", "munmap", "clone",
			                                         "fork", "vfork", "clone3", "execve", "execveat",
			                                         "procinfo"};
			for(const char* name : mem_events) {
					if(std::strcmp(info.name, name) == 0 && (PPME_IS_EXIT(i) || i == PPME_SCHEDSWITCH_6_E ||
				                                         i == PPME_PROCINFO_E)) {
					ti.updates_mem = true;
					ti.changes_state = true;
				}
			}
			t[i] = ti;
		}
		return t;
	}();
	return table.data();
}

// Parameter 0 of the raw event, of any integer width; false when absent. The event's structure
// was checked when it was read (patch 0006 for files; the kernel's own for live events).
inline bool raw_param0(const scap_evt* ev, bool large, bool is_signed, int64_t* out) {
	if(ev->nparams == 0) {
		return false;
	}
	const char* base = reinterpret_cast<const char*>(ev);
	uint32_t len;
	size_t at;
	if(large) {
		std::memcpy(&len, base + sizeof(ppm_evt_hdr), sizeof(uint32_t));
		at = sizeof(ppm_evt_hdr) + ev->nparams * sizeof(uint32_t);
	} else {
		uint16_t l16;
		std::memcpy(&l16, base + sizeof(ppm_evt_hdr), sizeof(uint16_t));
		len = l16;
		at = sizeof(ppm_evt_hdr) + ev->nparams * sizeof(uint16_t);
	}
	if(at + len > ev->len) {
		return false;
	}
	if(len == 8) {
		std::memcpy(out, base + at, 8);
		return true;
	}
	if(len == 4) {
		int32_t v;
		std::memcpy(&v, base + at, 4);
		*out = is_signed ? v : static_cast<int64_t>(static_cast<uint32_t>(v));
		return true;
	}
	if(len == 2) {
		int16_t v;
		std::memcpy(&v, base + at, 2);
		*out = is_signed ? v : static_cast<uint16_t>(v);
		return true;
	}
	if(len == 1) {
		int8_t v;
		std::memcpy(&v, base + at, 1);
		*out = is_signed ? v : static_cast<uint8_t>(v);
		return true;
	}
	return false;
}

// For generic syscall events the name comes from parameter 0 (the ppm_sc code), read from the raw
// event: going through sinsp_evt::get_param would decode every parameter of the event.
uint16_t name_id_of(const scap_evt* raw, const type_info& ti) {
	int64_t sc = 0;
	if(raw_param0(raw, ti.large, false, &sc) && sc >= 0 && sc < PPM_SC_MAX) {
		return static_cast<uint16_t>(kGenericNameBase + sc);
	}
	return raw->type;
}

// Writes one event (and the dictionary records it needs). Returns bytes, or 0 when out of room.
// Writes one event and the dictionary records it needs. Returns the bytes written; *complete
// tells whether the event record itself is among them (if not, the batch is full: the records
// written stay, the event is retried in the next batch).
size_t write_event(ss_capture* c, sinsp_evt* e, uint8_t* p, size_t room, bool* complete) {
	*complete = false;
	bool full = false;
	// the raw header is read directly: sinsp_evt's getters are virtual
	const scap_evt* raw = e->get_scap_evt();
	const uint16_t type = raw->type;  // < PPM_EVENT_MAX: the readers skip unknown types
	const uint64_t ts = raw->ts;
	const type_info& ti = c->types[type];
	size_t used = 0;
	if(ti.changes_fds) {
		c->fd_gen++;
	}
	sinsp_threadinfo* t = e->get_tinfo();
	thread_seen* seen = nullptr;
	if(t != nullptr) {
		if(t == c->fast_thread && ti.special == SPECIAL_NONE && !ti.changes_state) {
			// same thread as the last event and nothing happened that could change it
			seen = c->fast_seen;
		} else if(t->m_tid < 0) {
			t = nullptr;  // libsinsp's placeholder thread of meta events (container JSON)
		} else {
			used += ensure_thread(c, t, ts, p, room, &full, &seen, ti.updates_mem);
			if(full) {
				return used;
			}
		}
	}
	if(t == nullptr && raw->tid > 0) {
		// libsinsp may drop a thread at its procexit while its last switch-out is still to come:
		// what the shim told Java about it still holds
		auto it = c->threads.find(raw->tid);
		if(it != c->threads.end()) {
			seen = &it->second;
		}
	}
	c->fast_thread = t;
	c->fast_seen = seen;
	int64_t res = 0;
	uint64_t extra = 0;
	uint8_t flags = ti.flags;
	// latency = exit ts - enter ts of the same thread (libsinsp 0.20 leaves generic syscalls out);
	// a thread has one syscall in flight, so its last enter is the one this exit matches
	uint64_t latency = 0;
	bool matched_enter = false;
	if((flags & SS_F_SYSCALL) && seen != nullptr) {
		if(!(flags & SS_F_EXIT)) {
			seen->enter_ts = ts;
			seen->enter_type = type;
			seen->enter_fd = t != nullptr ? t->m_lastevent_fd : -1;
			if(!c->enter_records && ti.special == SPECIAL_NONE) {
				// noted, no record: the exit carries what matters; counted per second
				if(c->skipped > 0 && (ts >= c->skipped_sec_end || ts < c->skipped_sec_end - 1000000000ull)) {
					size_t n = write_skipped(c, p + used, room - used);
					if(n == 0) {
						return used;
					}
					used += n;
				}
				if(c->skipped == 0) {
					c->skipped_sec_end = (ts / 1000000000ull + 1) * 1000000000ull;
				}
				c->skipped++;
				c->skipped_ts = ts;
				*complete = true;
				return used;
			}
		} else if(seen->enter_type + 1 == type && ts >= seen->enter_ts) {
			// the enter is consumed only once the record is written (below): an exit retried in
			// the next batch keeps its latency, wherever a batch ends
			latency = ts - seen->enter_ts;
			matched_enter = true;
		}
	}
	switch(ti.special) {
	case SPECIAL_NONE:
		// generic syscall exits carry no return value in libs 0.20, only their id
		if(ti.res_kind != 0 && raw_param0(raw, ti.large, ti.res_kind == 1, &res) && res < 0) {
			flags |= SS_F_FAILED;
		}
		extra = latency;
		break;
	case SPECIAL_SWITCH:
		// the next thread must be known so its CPU time can be attributed when it switches out
		if(raw_param0(raw, ti.large, true, &res)) {
			const auto& next = c->inspector->get_thread_ref(res, false, true);
			if(next && next->m_tid > 0) {
				used += ensure_thread(c, next.get(), ts, p + used, room - used, &full);
				if(full) {
					return used;
				}
			}
		}
		c->fast_thread = nullptr;  // ensure_thread(next) moved the shortcuts
		break;
	case SPECIAL_PROCINFO: {
		int64_t sys = 0;
		param_int(e, 0, &res, false);
		param_int(e, 1, &sys, false);
		extra = static_cast<uint64_t>(sys);
		break;
	}
	case SPECIAL_SIGNAL: {
		int64_t sig = 0;
		param_int(e, 2, &sig, false);
		extra = static_cast<uint64_t>(sig);
		break;
	}
	default:
		break;
	}
	uint32_t fdkey = 0;
	int32_t fdnum = -1;
	uint8_t fdtype = 0xff;
	sinsp_fdinfo* fd = ti.uses_fd ? e->get_fd_info() : nullptr;
	bool tried_path = false;
	if(fd == nullptr && ti.opens && (flags & SS_F_FAILED)) {
		fd = failed_open_file(c, e);
		tried_path = fd != nullptr;
	}
	int64_t enter_fd = -1;
	if(seen != nullptr && (flags & SS_F_SYSCALL)) {
		// the exit of a syscall whose enter ended the previous file of a set: libsinsp of this file
		// never saw the enter, so the fd it named is taken from what the shim kept of it
		if(fd == nullptr && ti.uses_fd && (flags & SS_F_EXIT) && seen->enter_in_previous_file && t != nullptr &&
		   seen->enter_fd >= 0 && seen->enter_type + 1 == type) {
			fd = t->get_fd(seen->enter_fd);
			enter_fd = seen->enter_fd;
		}
		seen->enter_in_previous_file = false;
	}
	if(fd != nullptr) {
		fdtype = static_cast<uint8_t>(fd->m_type);
		if(t != nullptr && !tried_path) {
			fdnum = static_cast<int32_t>(enter_fd >= 0 ? enter_fd : t->m_lastevent_fd);
		}
		// only files and sockets are worth a dictionary entry
		if(fd->m_type == SCAP_FD_FILE || fd->m_type == SCAP_FD_FILE_V2 ||
		   fd->m_type == SCAP_FD_IPV4_SOCK || fd->m_type == SCAP_FD_IPV6_SOCK ||
		   fd->m_type == SCAP_FD_IPV4_SERVSOCK || fd->m_type == SCAP_FD_IPV6_SERVSOCK ||
		   fd->m_type == SCAP_FD_DIRECTORY) {
			thread_seen::fd_slot* slot = seen != nullptr && !tried_path
			                                     ? &seen->fd_cache[static_cast<uint32_t>(fdnum) & 3]
			                                     : nullptr;
			// a slot is trusted as is while no event that can create, close or rename an fd has
			// happened since it was checked; after one, the name is compared again
			if(slot != nullptr && slot->ptr == fd && slot->type == fd->m_type &&
			   (slot->gen == c->fd_gen || slot->name == fd->m_name)) {
				fdkey = slot->key;
				slot->gen = c->fd_gen;
			} else {
				fdkey = fd_key_of(c, fd, p + used, room - used, &used);
				if(fdkey == UINT32_MAX) {
					return used;
				}
				if(slot != nullptr) {
					slot->ptr = fd;
					slot->key = fdkey;
					slot->type = static_cast<uint8_t>(fd->m_type);
					slot->name = fd->m_name;
					slot->gen = c->fd_gen;
				}
			}
		}
	}
	if(room - used < SS_EVENT_SIZE) {
		return used;
	}
	uint8_t* q = p + used;
	w16(q, SS_REC_EVENT);
	w16(q + 2, SS_EVENT_SIZE);
	w16(q + 4, type);
	w16(q + 6, ti.generic ? name_id_of(raw, ti) : type);
	w64(q + 8, ts);
	w64(q + 16, raw->tid);
	w64(q + 24, static_cast<uint64_t>(res));
	w64(q + 32, extra);
	w16(q + 40, e->get_cpuid());
	q[42] = flags;
	q[43] = fdtype;
	w32(q + 44, seen != nullptr ? seen->container_key : 0);
	w32(q + 48, fdkey);
	w32(q + 52, static_cast<uint32_t>(fdnum));
	if(matched_enter) {
		seen->enter_type = 0xffff;
	}
	*complete = true;
	return used + SS_EVENT_SIZE;
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

namespace {
// The effective capabilities the modern probe's load needs: CAP_BPF and CAP_PERFMON (Linux 5.8+),
// or CAP_SYS_ADMIN, which still implies both. Asked of the kernel (capget), not inferred from the
// uid: root in a container may lack CAP_BPF, and a non-root user may hold exactly these.
std::string missing_capabilities() {
	__user_cap_header_struct hdr{};
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	hdr.pid = 0;
	__user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	if(syscall(SYS_capget, &hdr, data) != 0) {
		return "its capabilities (capget failed: " + std::string(std::strerror(errno)) + ")";
	}
	auto has = [&](int cap) { return ((data[cap / 32].effective >> (cap % 32)) & 1u) != 0; };
	if(has(CAP_SYS_ADMIN)) {
		return "";
	}
	std::string missing;
	if(!has(CAP_BPF)) {
		missing = "CAP_BPF";
	}
	if(!has(CAP_PERFMON)) {
		missing += missing.empty() ? "CAP_PERFMON" : " and CAP_PERFMON";
	}
	return missing;
}

// Loads "r0 = 0; exit" as a tp_btf program on sched_switch, as libpman loads the probe's programs.
bool tracing_program_loads(std::string* why) {
	int btf_id = libbpf_find_vmlinux_btf_id("sched_switch", BPF_TRACE_RAW_TP);
	if(btf_id < 0) {
		*why = "no BTF type for the sched_switch tracepoint: " + std::string(std::strerror(-btf_id));
		return false;
	}
	const struct bpf_insn insns[] = {
	        {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
	        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP,
	            .attach_btf_id = static_cast<__u32>(btf_id));
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "ss_probe", "GPL", insns, 2, &opts);
	if(fd < 0) {
		*why = "BPF_PROG_LOAD of a tp_btf program: " + std::string(std::strerror(errno));
		return false;
	}
	close(fd);
	return true;
}
}  // namespace

int32_t ss_live_possible(int mode, char* err, int32_t err_len) {
	if(mode == SS_MODE_MODERN_BPF) {
		if(access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
			put_err(err,
			        err_len,
			        "live capture needs BTF (/sys/kernel/btf/vmlinux is missing): the modern eBPF "
			        "probe cannot run on this kernel");
			return 0;
		}
		std::string missing = missing_capabilities();
		if(!missing.empty()) {
			put_err(err,
			        err_len,
			        "live capture needs root or the capabilities CAP_BPF and CAP_PERFMON (plus "
			        "CAP_SYS_RESOURCE and CAP_SYS_PTRACE where the kernel asks for them); this process "
			        "lacks " + missing);
			return 0;
		}
		// BTF and the capabilities are not enough: the probe's programs are BPF tracing programs (tp_btf) fed
		// through a BPF ring buffer, and some kernels (or their sandboxes) refuse to load either.
		// Load the smallest such program, attached like the probe's own to sched_switch, instead of
		// failing later inside scap_init. (libbpf's generic BPF_PROG_TYPE_TRACING probe is no
		// oracle: it loads without an attach target and fails on kernels that run the probe fine.)
		std::string why;
		if(!tracing_program_loads(&why)) {
			put_err(err,
			        err_len,
			        "live capture needs BPF tracing programs, and this kernel refuses to load them (" +
			                why + "): the modern eBPF probe cannot run here");
			return 0;
		}
		if(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr) != 1) {
			put_err(err,
			        err_len,
			        "live capture needs BPF ring buffers (Linux 5.8+), and this kernel refuses them: "
			        "the modern eBPF probe cannot run here");
			return 0;
		}
		return 1;
	}
	if(mode == SS_MODE_KMOD) {
		if(access("/dev/scap0", R_OK) != 0) {
			put_err(err,
			        err_len,
			        "the kernel module engine needs the scap module loaded (/dev/scap0 is missing)");
			return 0;
		}
		return 1;
	}
	put_err(err, err_len, "unknown live mode");
	return 0;
}

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
const char* ss_runtime_name(int type) { return runtime_name(static_cast<sinsp_container_type>(type)); }
