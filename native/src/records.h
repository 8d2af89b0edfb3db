// Internal to the native library: writing the records of scapstream.h's layout into a batch.
// record_writer is the one place that checks room, zeroes and writes the header; the encoders
// below lay out each record kind through it. Inline, with its checks folded at constant offsets:
// every event record goes through it.
#ifndef SCAPSTREAM_RECORDS_H
#define SCAPSTREAM_RECORDS_H

#include "scapstream.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

class sinsp_threadinfo;
class sinsp_fdinfo;

inline size_t align8(size_t n) { return (n + 7) & ~static_cast<size_t>(7); }

// the bytes a string takes in a record: u16 length, then at most 64 KiB - 1 bytes
inline size_t str_size(const std::string& s) { return 2 + std::min<size_t>(s.size(), 0xffff); }

// One record at buf, in at most room bytes. Offsets are from the record's start; no put writes
// past the length given to begin(), so a miscounted length yields a short record, never an
// overrun of the batch.
class record_writer {
public:
	record_writer(uint8_t* buf, size_t room): m_buf(buf), m_room(room) {}

	// Claims len bytes (a multiple of 8), zeroed, with the kind + length header; false, writing
	// nothing, when they do not fit.
	bool begin(uint16_t kind, size_t len) {
		if(len > m_room) {
			return false;
		}
		std::memset(m_buf, 0, len);
		m_len = len;
		put(0, kind);
		put(2, static_cast<uint16_t>(len));
		return true;
	}

	void u8(size_t at, uint8_t v) { put(at, v); }
	void u16(size_t at, uint16_t v) { put(at, v); }
	void u32(size_t at, uint32_t v) { put(at, v); }
	void u64(size_t at, uint64_t v) { put(at, v); }

	// A string at offset at (u16 length + bytes, cut to what the record has left); returns the
	// offset after it, where the next string goes.
	size_t str(size_t at, const std::string& s) {
		if(at + 2 > m_len) {
			return m_len;
		}
		size_t n = std::min({s.size(), static_cast<size_t>(0xffff), m_len - at - 2});
		put(at, static_cast<uint16_t>(n));
		std::memcpy(m_buf + at + 2, s.data(), n);
		return at + 2 + n;
	}

	// the record's length: the bytes begin() claimed
	size_t size() const { return m_len; }

private:
	template<typename T>
	void put(size_t at, T v) {
		if(at + sizeof(T) <= m_len) {
			std::memcpy(m_buf + at, &v, sizeof(T));
		}
	}

	uint8_t* m_buf;
	size_t m_room;
	size_t m_len = 0;
};

// The records. Each returns the bytes written, or 0 (nothing written) when out of room.

#pragma GCC visibility push(hidden)  // the library's own (see capture_state.h)

// A container: its 12-hex id and what the runtime says of it (type: sinsp_container_type).
size_t put_container_record(uint8_t* p,
                            size_t room,
                            uint32_t key,
                            uint32_t type,
                            uint32_t lookup,
                            const std::string& id,
                            const std::string& full_id,
                            const std::string& name,
                            const std::string& image,
                            const std::string& runtime);

// A thread as libsinsp knows it, with the start and exec times Java is to see; its args are cut
// where the record's length would pass a u16.
size_t put_thread_record(uint8_t* p,
                         size_t room,
                         const sinsp_threadinfo& t,
                         uint32_t container_key,
                         uint64_t clone_ts,
                         uint64_t exec_ts,
                         const std::string& user);

// An fd by key: its type, protocol, role, ports and name.
size_t put_fd_record(uint8_t* p, size_t room, uint32_t key, const sinsp_fdinfo& fd);

#pragma GCC visibility pop

inline size_t put_memory_record(uint8_t* p,
                                size_t room,
                                int64_t pid,
                                uint64_t ts,
                                uint32_t vmsize_kb,
                                uint32_t vmrss_kb,
                                uint32_t vmswap_kb,
                                uint64_t page_faults) {
	record_writer w(p, room);
	if(!w.begin(SS_REC_MEMORY, SS_MEMORY_SIZE)) {
		return 0;
	}
	w.u64(8, static_cast<uint64_t>(pid));
	w.u64(16, ts);
	w.u32(24, vmsize_kb);
	w.u32(28, vmrss_kb);
	w.u32(32, vmswap_kb);
	w.u64(40, page_faults);
	return w.size();
}

inline size_t put_skipped_record(uint8_t* p, size_t room, uint64_t last_ts, uint64_t count) {
	record_writer w(p, room);
	if(!w.begin(SS_REC_SKIPPED, SS_SKIPPED_SIZE)) {
		return 0;
	}
	w.u64(8, last_ts);
	w.u64(16, count);
	return w.size();
}

#endif
