// ss_live_possible: whether a live engine can run here, asked of the kernel before libsinsp tries
// (BTF, capabilities, a tracing program and a ring buffer for the modern probe; the device of the
// kernel module), so the one-line error names the cause instead of scap_init's "Initialization issues".
#include "capture_internal.h"
#include "scapstream.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace {

// The effective capabilities the modern probe's load needs: CAP_BPF and CAP_PERFMON (Linux 5.8+),
// or CAP_SYS_ADMIN, which still implies both. Asked of the kernel (capget), not inferred from the
// uid: root in a container may lack CAP_BPF, and a non-root user may hold exactly these.
std::string missing_capabilities() {
	__user_cap_header_struct hdr{};
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	hdr.pid = 0;
	__user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	if(syscall(SYS_capget, &hdr, data) != 0) {
		return "its capabilities (capget failed: " + std::string(std::strerror(errno)) + ")";
	}
	auto has = [&](int cap) { return ((data[cap / 32].effective >> (cap % 32)) & 1u) != 0; };
	if(has(CAP_SYS_ADMIN)) {
		return "";
	}
	std::string missing;
	if(!has(CAP_BPF)) {
		missing = "CAP_BPF";
	}
	if(!has(CAP_PERFMON)) {
		missing += missing.empty() ? "CAP_PERFMON" : " and CAP_PERFMON";
	}
	return missing;
}

// Loads "r0 = 0; exit" as a tp_btf program on sched_switch, as libpman loads the probe's programs.
bool tracing_program_loads(std::string* why) {
	int btf_id = libbpf_find_vmlinux_btf_id("sched_switch", BPF_TRACE_RAW_TP);
	if(btf_id < 0) {
		*why = "no BTF type for the sched_switch tracepoint: " + std::string(std::strerror(-btf_id));
		return false;
	}
	const struct bpf_insn insns[] = {
	        {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
	        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP,
	            .attach_btf_id = static_cast<__u32>(btf_id));
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "ss_probe", "GPL", insns, 2, &opts);
	if(fd < 0) {
		*why = "BPF_PROG_LOAD of a tp_btf program: " + std::string(std::strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

}  // namespace

extern "C" int32_t ss_live_possible(int mode, char* err, int32_t err_len) {
	if(mode == SS_MODE_MODERN_BPF) {
		if(access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
			ss_put_err(err,
			           err_len,
			           "live capture needs BTF (/sys/kernel/btf/vmlinux is missing): the modern eBPF "
			           "probe cannot run on this kernel");
			return 0;
		}
		std::string missing = missing_capabilities();
		if(!missing.empty()) {
			ss_put_err(err,
			           err_len,
			           "live capture needs root or the capabilities CAP_BPF and CAP_PERFMON (plus "
			           "CAP_SYS_RESOURCE and CAP_SYS_PTRACE where the kernel asks for them); this process "
			           "lacks " + missing);
			return 0;
		}
		// BTF and the capabilities are not enough: the probe's programs are BPF tracing programs (tp_btf) fed
		// through a BPF ring buffer, and some kernels (or their sandboxes) refuse to load either.
		// Load the smallest such program, attached like the probe's own to sched_switch, instead of
		// failing later inside scap_init. (libbpf's generic BPF_PROG_TYPE_TRACING probe is no
		// oracle: it loads without an attach target and fails on kernels that run the probe fine.)
		std::string why;
		if(!tracing_program_loads(&why)) {
			ss_put_err(err,
			           err_len,
			           "live capture needs BPF tracing programs, and this kernel refuses to load them (" +
			                   why + "): the modern eBPF probe cannot run here");
			return 0;
		}
		if(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr) != 1) {
			ss_put_err(err,
			           err_len,
			           "live capture needs BPF ring buffers (Linux 5.8+), and this kernel refuses them: "
			           "the modern eBPF probe cannot run here");
			return 0;
		}
		return 1;
	}
	if(mode == SS_MODE_KMOD) {
		if(access("/dev/scap0", R_OK) != 0) {
			ss_put_err(err,
			           err_len,
			           "the kernel module engine needs the scap module loaded (/dev/scap0 is missing)");
			return 0;
		}
		return 1;
	}
	ss_put_err(err, err_len, "unknown live mode");
	return 0;
}
