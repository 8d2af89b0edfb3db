// Internal to the native library: what the shim remembers of a capture between events, so that
// each thread, container and fd is described to Java once and then named by key: the per-thread
// entries (thread_seen, behind a direct-mapped cache), the container keys and the fd keys.
#ifndef SCAPSTREAM_CAPTURE_STATE_H
#define SCAPSTREAM_CAPTURE_STATE_H

#include <cstddef>
#include <cstdint>
#include <string>

struct ss_capture;
class sinsp_threadinfo;
class sinsp_fdinfo;

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

// The library's own: not exported, and called among its files directly, not through the PLT.
#pragma GCC visibility push(hidden)

// Makes sure Java knows thread t (and its container and memory) before an event refers to it.
// Returns the bytes of the records written into p; sets *full when it ran out of room. Each
// record is marked as sent only once written whole, and what was written stays in the batch, so a
// batch that fills up mid-way loses nothing: the caller retries the event in the next batch.
size_t ensure_thread(ss_capture* c,
                     sinsp_threadinfo* t,
                     uint64_t ts,
                     uint8_t* p,
                     size_t room,
                     bool* full,
                     thread_seen** seen_out = nullptr,
                     bool check_memory = true);

// Returns the fd key (writing an fd record first when new, adding its bytes to *used), 0 for
// none, UINT32_MAX when out of room.
uint32_t fd_key_of(ss_capture* c, const sinsp_fdinfo* fd, uint8_t* p, size_t room, size_t* used);

// Re-describes containers whose name/image arrived late (runtime lookups are asynchronous).
size_t refresh_containers(ss_capture* c, uint8_t* p, size_t room);

// Forgets exited threads libsinsp has dropped too, once their exit is old enough in event time
// (now_ts) that no late switch-out needs them.
void sweep_exited(ss_capture* c, uint64_t now_ts);

#pragma GCC visibility pop

#endif
