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
}

recorder::~recorder() {
	try {
		close();
	} catch(...) {
	}
}

std::string recorder::next_name(uint64_t first_ns) {
	std::string stem, ext;
	const std::string gz = m_o.gzip ? ".gz" : "";
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
			ext = ".scap.gz";
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
	for(int n = 1; exists(name) || name == m_current; n++) {
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
		m_dumper->open(inspector, m_current, m_o.gzip);
	} catch(const std::exception& ex) {
		int saved = errno;
		m_dumper.reset();
		fail(ex, saved);
	}
	m_first = ts;
	m_last = ts;
	m_bytes = 0;
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
			due = m_o.max_bytes > 0 && m_bytes >= m_o.max_bytes;
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
	if(m_dumper && m_changed) {
		m_bytes = m_dumper->written_bytes();
		note_current("open");
		m_changed = false;
	}
	return std::exchange(m_notices, std::string());
}
