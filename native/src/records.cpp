// The dictionary records of scapstream.h (thread, container, fd), laid out through record_writer.
#include "records.h"

#include <libsinsp/sinsp.h>

namespace {

std::string joined_args(const sinsp_threadinfo& t) {
	std::string out;
	for(const auto& a : t.m_args) {
		if(!out.empty()) {
			out.push_back(' ');
		}
		out.append(a);
	}
	return out;
}

}  // namespace

size_t put_container_record(uint8_t* p,
                            size_t room,
                            uint32_t key,
                            uint32_t type,
                            uint32_t lookup,
                            const std::string& id,
                            const std::string& full_id,
                            const std::string& name,
                            const std::string& image,
                            const std::string& runtime) {
	size_t len = align8(SS_CONTAINER_FIXED + str_size(id) + str_size(full_id) + str_size(name) +
	                    str_size(image) + str_size(runtime));
	record_writer w(p, room);
	if(!w.begin(SS_REC_CONTAINER, len)) {
		return 0;
	}
	w.u32(8, key);
	w.u32(12, type);
	w.u32(16, lookup);
	size_t at = SS_CONTAINER_FIXED;
	at = w.str(at, id);
	at = w.str(at, full_id);
	at = w.str(at, name);
	at = w.str(at, image);
	w.str(at, runtime);
	return w.size();
}

size_t put_thread_record(uint8_t* p,
                         size_t room,
                         const sinsp_threadinfo& t,
                         uint32_t container_key,
                         uint64_t clone_ts,
                         uint64_t exec_ts,
                         const std::string& user) {
	std::string args = joined_args(t);
	size_t len = align8(SS_THREAD_FIXED + str_size(t.m_comm) + str_size(t.m_exe) +
	                    str_size(t.m_exepath) + str_size(args) + str_size(user));
	if(len > 0xfff8) {  // absurdly long args: cut them, the record length is a u16
		args.resize(args.size() - std::min(args.size(), len - 0xfff8));
		len = align8(SS_THREAD_FIXED + str_size(t.m_comm) + str_size(t.m_exe) +
		             str_size(t.m_exepath) + str_size(args) + str_size(user));
	}
	record_writer w(p, room);
	if(!w.begin(SS_REC_THREAD, len)) {
		return 0;
	}
	w.u64(8, static_cast<uint64_t>(t.m_tid));
	w.u64(16, static_cast<uint64_t>(t.m_pid));
	w.u64(24, static_cast<uint64_t>(t.m_ptid));
	w.u64(32, clone_ts);
	w.u64(40, exec_ts);
	w.u32(48, t.m_uid);
	w.u32(52, container_key);
	w.u32(56, t.m_flags);
	w.u32(60, static_cast<uint32_t>(t.m_vpid));
	size_t at = SS_THREAD_FIXED;
	at = w.str(at, t.m_comm);
	at = w.str(at, t.m_exe);
	at = w.str(at, t.m_exepath);
	at = w.str(at, args);
	w.str(at, user);
	return w.size();
}

size_t put_fd_record(uint8_t* p, size_t room, uint32_t key, const sinsp_fdinfo& fd) {
	record_writer w(p, room);
	if(!w.begin(SS_REC_FD, align8(SS_FD_FIXED + str_size(fd.m_name)))) {
		return 0;
	}
	w.u32(8, key);
	w.u8(12, static_cast<uint8_t>(fd.m_type));
	w.u8(13, static_cast<uint8_t>(fd.get_l4proto()));
	w.u8(14, fd.is_role_client() ? 1 : (fd.is_role_server() ? 2 : 0));
	uint16_t sport = 0, dport = 0;
	if(fd.m_type == SCAP_FD_IPV4_SOCK) {
		sport = fd.m_sockinfo.m_ipv4info.m_fields.m_sport;
		dport = fd.m_sockinfo.m_ipv4info.m_fields.m_dport;
	} else if(fd.m_type == SCAP_FD_IPV6_SOCK) {
		sport = fd.m_sockinfo.m_ipv6info.m_fields.m_sport;
		dport = fd.m_sockinfo.m_ipv6info.m_fields.m_dport;
	} else if(fd.m_type == SCAP_FD_IPV4_SERVSOCK) {
		dport = fd.m_sockinfo.m_ipv4serverinfo.m_port;
	} else if(fd.m_type == SCAP_FD_IPV6_SERVSOCK) {
		dport = fd.m_sockinfo.m_ipv6serverinfo.m_port;
	}
	w.u16(16, sport);
	w.u16(18, dport);
	w.str(SS_FD_FIXED, fd.m_name);
	return w.size();
}
