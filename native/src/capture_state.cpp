// The capture's caches (see capture_state.h): per-thread entries, container keys, fd keys, and
// the dictionary records that describe each to Java once.
#include "capture.h"
#include "capture_internal.h"
#include "records.h"

#include <libsinsp/sinsp.h>
#include <libsinsp/user.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace {

// Exited threads are kept this long in event time after their exit: a late switch-out still finds
// its container. Event time, not batch boundaries, decides, so a live capture and a replay of its
// recording attribute the same slices.
constexpr uint64_t kKeepExitedNs = 2000000000ull;

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
	size_t len = put_container_record(p, room, seen.key, type, static_cast<uint32_t>(lookup), id, full_id, name,
	                                  image, runtime);
	if(len == 0) {
		return 0;
	}
	c->records[SS_REC_CONTAINER]++;
	seen.name = name;
	seen.image = image;
	seen.lookup = lookup;
	return len;
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
	size_t len = put_thread_record(p, room, t, ckey, clone_ts, exec_ts, user_name(c, t));
	if(len != 0) {
		c->records[SS_REC_THREAD]++;
	}
	return len;
}

}  // namespace

size_t ensure_thread(ss_capture* c,
                     sinsp_threadinfo* t,
                     uint64_t ts,
                     uint8_t* p,
                     size_t room,
                     bool* full,
                     thread_seen** seen_out,
                     bool check_memory) {
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
			size_t n = put_memory_record(p + used, room - used, t->m_pid, ts, t->m_vmsize_kb, t->m_vmrss_kb,
			                             t->m_vmswap_kb, pf);
			if(n == 0) {
				*full = true;
				return used;
			}
			c->records[SS_REC_MEMORY]++;
			used += n;
			seen.vmsize = t->m_vmsize_kb;
			seen.vmrss = t->m_vmrss_kb;
			seen.vmswap = t->m_vmswap_kb;
			seen.pf = pf;
		}
	}
	return used;
}

uint32_t fd_key_of(ss_capture* c, const sinsp_fdinfo* fd, uint8_t* p, size_t room, size_t* used) {
	if(fd == nullptr) {
		return 0;
	}
	std::string& k = c->fd_key_scratch;
	k.assign(fd->m_name);
	k.push_back('\0');
	k.push_back(static_cast<char>(fd->m_type));
	k.push_back(static_cast<char>(fd->get_l4proto()));
	auto it = c->fds.find(k);
	if(it != c->fds.end()) {
		return it->second;
	}
	size_t len = put_fd_record(p, room, c->next_fd_key, *fd);
	if(len == 0) {
		return UINT32_MAX;
	}
	uint32_t key = c->next_fd_key++;
	c->records[SS_REC_FD]++;
	c->fds.emplace(k, key);
	*used += len;
	return key;
}

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

const char* ss_runtime_name(int type) { return runtime_name(static_cast<sinsp_container_type>(type)); }
