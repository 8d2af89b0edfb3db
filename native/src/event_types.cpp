// The event-type table and the parameter readers of event_types.h.
#include "event_types.h"
#include "scapstream.h"

#include <libsinsp/events/sinsp_events.h>

#include <vector>

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

bool param_int(sinsp_evt* e, uint32_t i, int64_t* out, bool is_signed) {
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

