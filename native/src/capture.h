// Internal to the native library: the capture itself, shared by the files that drive it (shim.cpp:
// its lifecycle and the C entry points), keep its caches (capture_state.cpp) and encode its events
// (events.cpp). The rest of the library sees it only through capture_internal.h.
#ifndef SCAPSTREAM_CAPTURE_H
#define SCAPSTREAM_CAPTURE_H

#include "capture_state.h"
#include "event_types.h"
#include "recorder.h"
#include "scapstream.h"

#include <libsinsp/sinsp.h>
#include <libsinsp/eventformatter.h>
#include <libsinsp/filter_check_list.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

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
	// the caches of capture_state.cpp
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

#pragma GCC visibility push(hidden)  // the library's own (see capture_state.h)

// Writes one event and the dictionary records it needs. Returns the bytes written; *complete
// tells whether the event record itself is among them (if not, the batch is full: the records
// written stay, the event is retried in the next batch).
size_t write_event(ss_capture* c, sinsp_evt* e, uint8_t* p, size_t room, bool* complete);

// Reports the enters read without records since the last report; 0 when out of room.
size_t write_skipped(ss_capture* c, uint8_t* p, size_t room);

#pragma GCC visibility pop

#endif
