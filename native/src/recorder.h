// A recording of a capture's events into one .scap file or a rotated set of them, as sysdig's
// -w with -C / -G / -W / -z. Driven by the capture thread only, like the capture it writes.
#ifndef SCAPSTREAM_RECORDER_H
#define SCAPSTREAM_RECORDER_H

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

class sinsp;
class sinsp_evt;
class sinsp_dumper;

struct recorder_options {
	std::string path;         // a file name, or a directory (ends with '/' or exists as one)
	uint64_t max_bytes = 0;   // -C: start a new file once this many bytes are written (0 = no)
	uint64_t period_ns = 0;   // -G: start a new file at each multiple of this in event time (0 = no)
	uint32_t max_files = 0;   // -W: keep at most this many files, deleting the oldest (0 = all)
	uint64_t max_total = 0;   // keep the set under this many bytes, deleting the oldest (0 = no)
	bool gzip = false;        // -z
};

class recorder {
public:
	explicit recorder(recorder_options o);
	~recorder();

	// Opens a single file now, so a path that cannot be written fails before the capture starts; a
	// set's first file opens with its first event (its name may hold the event's time), after a
	// check that its directory takes files.
	void start(sinsp* inspector);

	// Writes one event, opening the first or next file first when due. A file opened here starts
	// with libsinsp's current thread, fd and container tables, so each one reads on its own.
	// Throws sinsp_exception on a write failure (the files closed before it stay whole).
	void dump(sinsp* inspector, sinsp_evt* e);

	// Pushes what is buffered to the file (bounds what a kill -9 can cut off).
	void flush();

	// Closes the current file; later dump() calls start a new one.
	void close();

	// Waits until every closed file of a gzipped set is compressed (the end of a recording).
	void finish();

	// What changed since the last call, one line each, tab-separated:
	// "open PATH FIRST_NS LAST_NS BYTES", "closed PATH FIRST_NS LAST_NS BYTES", "gone PATH FIRST_NS LAST_NS BYTES".
	std::string take_notices();

private:
	// Names the file a rotation opens for a set starting at event time first_ns.
	std::string next_name(uint64_t first_ns);
	void open_next(sinsp* inspector, uint64_t ts);
	void note_current(const char* state);
	// the dumper's failure, rethrown naming the file and the system's reason (ENOSPC: a full disk)
	[[noreturn]] void fail(const std::exception& ex, int saved_errno) const;
	void prune();
	// A gzipped set's closed files are compressed on a thread of the recorder's own, so the capture
	// thread never runs gzip: it writes plain .scap files and this turns each into its .scap.gz.
	void compress_later(const std::string& plain);
	void compressor();
	// On the capture thread: the compressions done since, as notices and in the list of kept files.
	void take_compressed();

	recorder_options m_o;
	bool m_dir = false;
	bool m_rotating = false;
	std::unique_ptr<sinsp_dumper> m_dumper;
	std::string m_current;
	uint64_t m_first = 0;
	uint64_t m_last = 0;
	uint64_t m_bytes = 0;        // of the current file, as of the last check
	uint64_t m_header = 0;       // of the current file: its opening tables
	uint64_t m_period_end = 0;   // event time at which the current file is done (-G)
	uint64_t m_seq = 0;
	uint32_t m_since_check = 0;
	bool m_changed = false;
	struct kept {
		std::string path;
		uint64_t bytes;
		uint64_t first;  // the file's first and last event times, for its "gone" notice
		uint64_t last;
	};
	std::deque<kept> m_files;  // closed files still on disk, oldest first
	std::string m_notices;
	bool m_async_gzip = false;  // a set with -z: plain files while written, compressed once closed
	struct compressed {
		std::string plain;
		std::string gz;
		uint64_t bytes;
		std::string error;  // empty on success
	};
	std::mutex m_mu;  // guards the next four, shared with the compressor thread
	std::condition_variable m_cv;
	std::deque<std::string> m_todo;
	std::deque<compressed> m_done;
	bool m_stopping = false;
	std::thread m_thread;
};

#endif
