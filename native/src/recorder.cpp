// Rotating recordings: see recorder.h.
#include "recorder.h"

#include <libsinsp/sinsp.h>
#include <libsinsp/dumper.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <cstdio>
#include <ctime>
#include <utility>

#include <zlib.h>

namespace {

bool ends_with(const std::string& s, const char* suffix) {
	std::string x(suffix);
	return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

bool exists(const std::string& p) {
	struct stat st;
	return ::stat(p.c_str(), &st) == 0;
}

uint64_t size_of(const std::string& p) {
	struct stat st;
	return ::stat(p.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

std::string utc(const char* fmt, uint64_t ns) {
	time_t s = static_cast<time_t>(ns / 1000000000ull);
	struct tm tm;
	gmtime_r(&s, &tm);
	char buf[512];
	size_t n = std::strftime(buf, sizeof buf, fmt, &tm);
	return std::string(buf, n);
}

}  // namespace

recorder::recorder(recorder_options o): m_o(std::move(o)) {
	struct stat st;
	m_dir = ends_with(m_o.path, "/") || (::stat(m_o.path.c_str(), &st) == 0 && S_ISDIR(st.st_mode));
	if(m_dir && !ends_with(m_o.path, "/")) {
		m_o.path += "/";
	}
	// a directory always gets a set of files, named by their start
	m_rotating = m_dir || m_o.max_bytes > 0 || m_o.period_ns > 0;
	m_async_gzip = m_rotating && m_o.gzip;
}

recorder::~recorder() {
	try {
		close();
	} catch(...) {
	}
	try {
		finish();
	} catch(...) {
	}
}

void recorder::compress_later(const std::string& plain) {
	std::lock_guard<std::mutex> lock(m_mu);
	if(!m_thread.joinable()) {
		m_thread = std::thread([this] { compressor(); });
	}
	m_todo.push_back(plain);
	m_cv.notify_one();
}

void recorder::compressor() {
	std::vector<char> buf(1 << 20);
	while(true) {
		std::string plain;
		{
			std::unique_lock<std::mutex> lock(m_mu);
			m_cv.wait(lock, [this] { return m_stopping || !m_todo.empty(); });
			if(m_todo.empty()) {
				return;
			}
			plain = m_todo.front();
		}
		compressed c{plain, plain + ".gz", 0, ""};
		// under a name no reader takes until whole: a kill -9 leaves the plain file to read
		const std::string part = c.gz + ".part";
		errno = 0;
		FILE* in = std::fopen(plain.c_str(), "rb");
		gzFile out = in == nullptr ? nullptr : gzopen(part.c_str(), "wb");
		if(in == nullptr || out == nullptr) {
			c.error = (in == nullptr ? plain : c.gz) + ": " + std::strerror(errno != 0 ? errno : EIO);
		} else {
			size_t n;
			while(c.error.empty() && (n = std::fread(buf.data(), 1, buf.size(), in)) > 0) {
				if(gzwrite(out, buf.data(), static_cast<unsigned>(n)) != static_cast<int>(n)) {
					int zerr = 0;
					const char* why = gzerror(out, &zerr);
					c.error = c.gz + ": " + (zerr == Z_ERRNO ? std::strerror(errno) : why);
				}
			}
		}
		if(in != nullptr) {
			std::fclose(in);
		}
		if(out != nullptr && gzclose(out) != Z_OK && c.error.empty()) {
			c.error = c.gz + ": " + std::strerror(errno != 0 ? errno : EIO);
		}
		if(c.error.empty() && std::rename(part.c_str(), c.gz.c_str()) != 0) {
			c.error = c.gz + ": " + std::strerror(errno);
		}
		if(c.error.empty()) {
			std::remove(plain.c_str());
			c.bytes = size_of(c.gz);
		} else {
			std::remove(part.c_str());  // the plain file stays, whole and readable
		}
		std::lock_guard<std::mutex> lock(m_mu);
		m_todo.pop_front();
		m_done.push_back(std::move(c));
		m_cv.notify_all();
	}
}

void recorder::take_compressed() {
	std::deque<compressed> done;
	{
		std::lock_guard<std::mutex> lock(m_mu);
		if(m_done.empty()) {
			return;
		}
		done.swap(m_done);
	}
	std::string error;
	for(auto& c : done) {
		kept* k = nullptr;
		for(auto& f : m_files) {
			if(f.path == c.plain) {
				k = &f;
			}
		}
		if(k == nullptr) {
			std::remove(c.gz.c_str());  // deleted by -W / --record-max while it was compressed
			continue;
		}
		if(!c.error.empty()) {
			if(error.empty()) {
				error = c.error;
			}
			continue;
		}
		m_notices += "gone\t" + c.plain + "\t" + std::to_string(k->first) + "\t" + std::to_string(k->last) + "\t" +
		             std::to_string(k->bytes) + "\n";
		k->path = c.gz;
		k->bytes = c.bytes;
		m_notices += "closed\t" + c.gz + "\t" + std::to_string(k->first) + "\t" + std::to_string(k->last) + "\t" +
		             std::to_string(k->bytes) + "\n";
	}
	if(m_o.max_total > 0) {
		prune();  // sizes shrank
	}
	if(!error.empty()) {
		throw sinsp_exception(error);
	}
}

void recorder::finish() {
	{
		std::unique_lock<std::mutex> lock(m_mu);
		m_stopping = true;
		m_cv.notify_all();
	}
	if(m_thread.joinable()) {
		m_thread.join();
	}
	{
		std::lock_guard<std::mutex> lock(m_mu);
		m_stopping = false;  // a recorder reopened after finish() compresses again
	}
	take_compressed();
}

std::string recorder::next_name(uint64_t first_ns) {
	std::string stem, ext;
	// a gzipped set's files are written plain and compressed once closed (compress_later)
	const std::string gz = m_o.gzip && !m_async_gzip ? ".gz" : "";
	if(!m_rotating) {
		return m_o.gzip && !ends_with(m_o.path, ".gz") ? m_o.path + ".gz" : m_o.path;
	}
	std::string base;
	if(m_dir) {
		// to the millisecond: names sort as the files follow each other
		char ms[8];
		std::snprintf(ms, sizeof ms, ".%03uZ", static_cast<unsigned>(first_ns / 1000000ull % 1000));
		stem = m_o.path + "scapstream-" + utc("%Y%m%dT%H%M%S", first_ns) + ms;
		ext = ".scap" + gz;
	} else {
		const std::string& p = m_o.path;
		if(ends_with(p, ".scap.gz")) {
			stem = p.substr(0, p.size() - 8);
			ext = m_async_gzip ? ".scap" : ".scap.gz";
		} else if(ends_with(p, ".scap")) {
			stem = p.substr(0, p.size() - 5);
			ext = ".scap" + gz;
		} else {
			stem = p;
			ext = gz;
		}
		if(m_o.period_ns > 0 && p.find('%') != std::string::npos) {
			stem = utc(stem.c_str(), first_ns);  // strftime in the name, as sysdig's -G
		} else if(m_o.period_ns > 0) {
			stem += "-" + utc("%Y%m%dT%H%M%SZ", first_ns);
		} else {
			stem += std::to_string(m_seq++);  // as sysdig's -C: a sequence number
			return stem + ext;
		}
	}
	// two files started in one second (-C with -G, or a directory): a counter tells them apart
	std::string name = stem + ext;
	for(int n = 1; exists(name) || exists(name + ".gz") || name == m_current; n++) {
		name = stem + "-" + std::to_string(n) + ext;
	}
	return name;
}

void recorder::open_next(sinsp* inspector, uint64_t ts) {
	close();
	m_current = next_name(ts);
	m_dumper = std::make_unique<sinsp_dumper>();
	errno = 0;
	try {
		m_dumper->open(inspector, m_current, m_o.gzip && !m_async_gzip);
	} catch(const std::exception& ex) {
		int saved = errno;
		m_dumper.reset();
		fail(ex, saved);
	}
	m_first = ts;
	m_last = ts;
	m_bytes = 0;
	// -C counts the events' bytes: on a busy host the opening tables alone can pass a small limit,
	// and a file of tables and 64 events each would follow another
	m_header = m_dumper->written_bytes();
	m_since_check = 0;
	if(m_o.period_ns > 0) {
		m_period_end = (ts / m_o.period_ns + 1) * m_o.period_ns;  // on boundaries of event time
	}
	m_changed = true;
	prune();
}

void recorder::start(sinsp* inspector) {
	if(!m_rotating) {
		open_next(inspector, 0);
		return;
	}
	std::string dir = m_dir ? m_o.path : m_o.path.substr(0, m_o.path.rfind('/') + 1);
	if(dir.empty()) {
		dir = ".";
	}
	if(::access(dir.c_str(), W_OK) != 0) {
		throw sinsp_exception(dir + ": " + std::strerror(errno));
	}
}

void recorder::dump(sinsp* inspector, sinsp_evt* e) {
	uint64_t ts = e->get_ts();
	if(m_first == 0) {
		m_first = ts;
	}
	if(!m_dumper) {
		open_next(inspector, ts);
	} else if(m_rotating) {
		bool due = m_o.period_ns > 0 && ts >= m_period_end;
		// the size is checked every 64 events: a file ends at most 64 events past its limit
		if(!due && (m_o.max_bytes > 0 || m_o.max_total > 0) && ++m_since_check >= 64) {
			m_since_check = 0;
			m_bytes = m_dumper->written_bytes();
			due = m_o.max_bytes > 0 && m_bytes >= m_header + m_o.max_bytes;
			if(!due && m_o.max_total > 0) {
				prune();
			}
		}
		if(due) {
			open_next(inspector, ts);
		}
	}
	errno = 0;
	try {
		m_dumper->dump(e);
	} catch(const std::exception& ex) {
		fail(ex, errno);
	}
	if(ts > m_last) {
		m_last = ts;
	}
	m_changed = true;
}

void recorder::flush() {
	if(m_dumper) {
		errno = 0;
		try {
			m_dumper->flush();
		} catch(const std::exception& ex) {
			fail(ex, errno);
		}
	}
}

void recorder::fail(const std::exception& ex, int saved_errno) const {
	std::string why = saved_errno != 0 ? std::strerror(saved_errno) : std::string(ex.what());
	throw sinsp_exception(m_current + ": " + why);
}

void recorder::close() {
	if(!m_dumper) {
		return;
	}
	m_dumper->close();
	m_dumper.reset();
	m_bytes = size_of(m_current);
	note_current("closed");
	if(m_rotating) {
		m_files.push_back({m_current, m_bytes, m_first, m_last});
	}
	if(m_async_gzip) {
		compress_later(m_current);
	}
	m_current.clear();
	m_changed = false;
}

void recorder::note_current(const char* state) {
	m_notices += std::string(state) + "\t" + m_current + "\t" + std::to_string(m_first) + "\t" +
	             std::to_string(m_last) + "\t" + std::to_string(m_bytes) + "\n";
}

void recorder::prune() {
	// the current file counts as one, and is never the one deleted
	uint64_t total = m_bytes;
	for(const auto& f : m_files) {
		total += f.bytes;
	}
	while(!m_files.empty() &&
	      ((m_o.max_files > 0 && m_files.size() + 1 > m_o.max_files) ||
	       (m_o.max_total > 0 && total > m_o.max_total))) {
		const kept& old = m_files.front();
		std::remove(old.path.c_str());
		// with its times and size, so an index can mark it without having kept them
		m_notices += "gone\t" + old.path + "\t" + std::to_string(old.first) + "\t" + std::to_string(old.last) +
		             "\t" + std::to_string(old.bytes) + "\n";
		total -= old.bytes;
		m_files.pop_front();
	}
}

std::string recorder::take_notices() {
	take_compressed();
	if(m_dumper && m_changed) {
		m_bytes = m_dumper->written_bytes();
		note_current("open");
		m_changed = false;
	}
	return std::exchange(m_notices, std::string());
}
