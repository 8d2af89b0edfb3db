// An event's records: the fixed-layout event record and the dictionary records it refers to.
// write_event runs once per event read: its common case (same thread as the last event, a cached
// fd) takes no lookup and no allocation.
#include "capture.h"
#include "records.h"

#include <libsinsp/sinsp.h>

#include <memory>
#include <string>

namespace {

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

}  // namespace

size_t write_skipped(ss_capture* c, uint8_t* p, size_t room) {
	size_t n = put_skipped_record(p, room, c->skipped_ts, c->skipped);
	if(n != 0) {
		c->skipped = 0;
	}
	return n;
}

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
	record_writer w(p + used, room - used);
	if(!w.begin(SS_REC_EVENT, SS_EVENT_SIZE)) {
		return used;
	}
	w.u16(4, type);
	w.u16(6, ti.generic ? name_id_of(raw, ti) : type);
	w.u64(8, ts);
	w.u64(16, raw->tid);
	w.u64(24, static_cast<uint64_t>(res));
	w.u64(32, extra);
	w.u16(40, e->get_cpuid());
	w.u8(42, flags);
	w.u8(43, fdtype);
	w.u32(44, seen != nullptr ? seen->container_key : 0);
	w.u32(48, fdkey);
	w.u32(52, static_cast<uint32_t>(fdnum));
	if(matched_enter) {
		seen->enter_type = 0xffff;
	}
	*complete = true;
	return used + w.size();
}

