// Internal to the native library: what the shim needs to know of each event type, computed once
// from libscap's event table, and the readers of the few parameters it takes from events.
#ifndef SCAPSTREAM_EVENT_TYPES_H
#define SCAPSTREAM_EVENT_TYPES_H

#include <libsinsp/sinsp.h>

#include <cstdint>
#include <cstring>

// name ids from here up are generic syscall events: kGenericNameBase + their ppm_sc code
constexpr int kGenericNameBase = 1024;

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

#pragma GCC visibility push(hidden)  // the library's own (see capture_state.h)

// PPM_EVENT_MAX entries, indexed by event type; built on the first call, shared by every capture.
const type_info* type_table();

// Reads integer parameter i of any width (1, 2, 4 or 8 bytes); false when absent or odd-sized.
// Never trusts the event: a capture file may be corrupted.
bool param_int(sinsp_evt* e, uint32_t i, int64_t* out, bool is_signed = true);

#pragma GCC visibility pop

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
inline uint16_t name_id_of(const scap_evt* raw, const type_info& ti) {
	int64_t sc = 0;
	if(raw_param0(raw, ti.large, false, &sc) && sc >= 0 && sc < PPM_SC_MAX) {
		return static_cast<uint16_t>(kGenericNameBase + sc);
	}
	return raw->type;
}

#endif
