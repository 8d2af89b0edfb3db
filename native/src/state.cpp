// `scapstream chisel ps|lsof|netstat|lscontainers`: libsinsp's thread table, each thread's fds and
// the containers, once the capture has reached a time (its first event, as sysdig's state chisels
// read them), as JSON lines. See scapstream.h.
#include "capture_internal.h"
#include "scapstream.h"

#include <libsinsp/sinsp.h>
#include <libsinsp/user.h>

#include <algorithm>

#include <chrono>
#include <cstring>
#include <exception>
#include <string>

namespace {

thread_local std::string g_state;  // the last dump of this thread, until read

bool valid_utf8(const std::string& s) {
	size_t i = 0;
	const size_t n = s.size();
	while(i < n) {
		unsigned char c = static_cast<unsigned char>(s[i]);
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if(len == 0 || i + len > n) return false;
		for(size_t k = 1; k < len; k++) {
			if((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
		}
		i += len;
	}
	return true;
}

// A JSON string; bytes that are not UTF-8 are kept as the code points of their values, so a
// hostile name still parses (the Java side escapes control characters for the terminal).
void put_json(std::string& out, const std::string& s) {
	static const char hex[] = "0123456789abcdef";
	const bool utf8 = valid_utf8(s);
	out.push_back('"');
	for(unsigned char c : s) {
		if(c == '"' || c == '\\') {
			out.push_back('\\');
			out.push_back(static_cast<char>(c));
		} else if(c < 0x20 || c == 0x7f || (!utf8 && c >= 0x80)) {
			out += "\\u00";
			out.push_back(hex[c >> 4]);
			out.push_back(hex[c & 15]);
		} else {
			out.push_back(static_cast<char>(c));
		}
	}
	out.push_back('"');
}

void field(std::string& out, const char* name, const std::string& v) {
	out += ",\"";
	out += name;
	out += "\":";
	put_json(out, v);
}

void field(std::string& out, const char* name, int64_t v) {
	out += ",\"";
	out += name;
	out += "\":";
	out += std::to_string(v);
}

std::string user_of(sinsp& in, const sinsp_threadinfo& t) {
	if(!in.m_usergroup_manager) return "";
	auto* u = in.m_usergroup_manager->get_user(t.m_container_id, t.m_uid);
	return u ? std::string(u->name) : std::string();
}

const char* l4_name(uint8_t l4) {
	switch(l4) {
	case SCAP_L4_TCP: return "tcp";
	case SCAP_L4_UDP: return "udp";
	case SCAP_L4_ICMP: return "icmp";
	case SCAP_L4_RAW: return "raw";
	default: return "";
	}
}

uint8_t l4_of(const sinsp_fdinfo& f) {
	switch(f.m_type) {
	case SCAP_FD_IPV4_SOCK: return f.m_sockinfo.m_ipv4info.m_fields.m_l4proto;
	case SCAP_FD_IPV6_SOCK: return f.m_sockinfo.m_ipv6info.m_fields.m_l4proto;
	case SCAP_FD_IPV4_SERVSOCK: return f.m_sockinfo.m_ipv4serverinfo.m_l4proto;
	case SCAP_FD_IPV6_SERVSOCK: return f.m_sockinfo.m_ipv6serverinfo.m_l4proto;
	default: return SCAP_L4_UNKNOWN;
	}
}

void dump(sinsp& in, std::string& out) {
	in.m_thread_manager->get_threads()->loop([&](sinsp_threadinfo& t) {
		out += "{\"kind\":\"thread\"";
		field(out, "tid", t.m_tid);
		field(out, "pid", t.m_pid);
		field(out, "ppid", t.m_ptid);
		field(out, "comm", t.m_comm);
		field(out, "exe", t.m_exe);
		std::string args;
		for(const auto& a : t.m_args) {
			if(!args.empty()) args.push_back(' ');
			args += a;
		}
		field(out, "args", args);
		field(out, "user", user_of(in, t));
		field(out, "vmsize_kb", t.m_vmsize_kb);
		field(out, "vmrss_kb", t.m_vmrss_kb);
		field(out, "fdlimit", t.m_fdlimit);
		field(out, "container", t.m_container_id);
		out += "}\n";
		// every thread lists its process's fds (they share one table), as sysdig's lsof does
		{
			t.loop_fds([&](int64_t fd, const sinsp_fdinfo& f) {
				out += "{\"kind\":\"fd\"";
				field(out, "tid", t.m_tid);
				field(out, "pid", t.m_pid);
				field(out, "comm", t.m_comm);
				field(out, "user", user_of(in, t));
				field(out, "fd", fd);
				field(out, "type", std::string(f.get_typestring()));
				field(out, "l4", std::string(l4_name(l4_of(f))));
				field(out, "server", static_cast<int64_t>(f.is_role_server() ? 1 : 0));
				field(out, "name", f.m_name);
				out += "}\n";
				return true;
			});
		}
		return true;
	});
	for(const auto& kv : *in.m_container_manager.get_containers()) {
		const auto& c = *kv.second;
		out += "{\"kind\":\"container\"";
		field(out, "id", c.m_id);
		field(out, "type", std::string(ss_runtime_name(c.m_type)));  // sysdig's container.type
		field(out, "name", c.m_name);
		field(out, "image", c.m_image);
		out += "}\n";
	}
}

}  // namespace

extern "C" {

int64_t ss_state_dump(ss_capture* c, uint64_t at_ns, int32_t max_wait_ms, char* err, int32_t err_len) {
	ss_set_error_kind(SS_ERRK_NONE);
	g_state.clear();
	if(c == nullptr) {
		ss_set_error_kind(SS_ERRK_OTHER);
		ss_put_err(err, err_len, "ss_state_dump: no capture");
		return -1;
	}
	try {
		auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(max_wait_ms);
		bool reached = false;
		while(!reached) {
			sinsp_evt* e = nullptr;
			int32_t rc = ss_capture_next(c, &e);  // a set: the file that holds at_ns
			if(rc == SCAP_SUCCESS && e != nullptr) {
				reached = e->get_ts() >= at_ns;
			} else if(rc == SCAP_EOF) {
				break;  // the table at the end of the file
			} else if(rc == SCAP_TIMEOUT || rc == SCAP_FILTERED_EVENT) {
				if(std::chrono::steady_clock::now() > deadline) break;
			} else {
				ss_set_error_kind(ss_read_error_kind(c));
				ss_put_err(err, err_len, ss_capture_inspector(c)->getlasterr());
				return -1;
			}
		}
		dump(*ss_capture_inspector(c), g_state);
		return static_cast<int64_t>(g_state.size());
	} catch(const std::exception& ex) {
		ss_set_error_kind(SS_ERRK_OTHER);
		ss_put_err(err, err_len, ex.what());
	} catch(...) {
		ss_set_error_kind(SS_ERRK_OTHER);
		ss_put_err(err, err_len, "unknown error while reading the thread table");
	}
	return -1;
}

int64_t ss_state_read(uint8_t* buf, int64_t cap) {
	int64_t n = std::min<int64_t>(cap, static_cast<int64_t>(g_state.size()));
	std::memcpy(buf, g_state.data(), static_cast<size_t>(n));
	g_state.clear();
	return n;
}

}  // extern "C"
