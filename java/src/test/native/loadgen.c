/*
 * loadgen: the live truth tests' workloads. Each mode does known work and prints one JSON line of
 * its own truth on stdout (what it did, measured by itself: thread CPU clocks, /proc, call counts),
 * so a live capture can be checked against it.
 *
 *   loadgen [--cgroup PATH] MODE ARGS...
 *     --cgroup PATH              join PATH under /sys/fs/cgroup/{cpu,cpuacct,pids}, then re-exec
 *                                (libsinsp reads a thread's cgroups at execve: a fake container)
 *     spin THREADS SECONDS       busy threads; per-thread CLOCK_THREAD_CPUTIME_ID ns
 *     mem STEPS MIB STEP_MS      STEPS mmap + touch of MIB each; VmRSS/VmSize/VmHWM after the last
 *     fileio PATH CHUNKS BYTES   write, pwrite and writev CHUNKS x BYTES each, then read, pread and
 *                                readv them back; bytes and calls per direction
 *     tcp PORT UP DOWN           a server child and a client: UP bytes client->server, DOWN back
 *     udp PORT COUNT SIZE        COUNT datagrams of SIZE bytes to a server child
 *     churn COUNT                COUNT x fork + exec /bin/true churn-I, with launch and reap times
 *     errors OPENS CONNECTS      OPENS open()s of missing files (ENOENT), CONNECTS connect()s to a
 *                                closed loopback port (ECONNREFUSED)
 *     faults MIB                 touch MIB of fresh anonymous memory; getrusage minor faults
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t clk) {
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char* what) {
	fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void join_cgroup(const char* path) {
	static const char* hier[] = {"cpu", "cpuacct", "pids"};
	char file[4096], pid[32];
	snprintf(pid, sizeof pid, "%d\n", getpid());
	for(int i = 0; i < 3; i++) {
		snprintf(file, sizeof file, "/sys/fs/cgroup/%s%s/cgroup.procs", hier[i], path);
		int fd = open(file, O_WRONLY);
		if(fd < 0 || write(fd, pid, strlen(pid)) < 0) die(file);
		close(fd);
	}
}

/* ---- spin ---- */
static atomic_int spin_stop;
struct spin_thread {
	pthread_t th;
	long tid;
	long long cpu_ns;
};

static void* spin_run(void* arg) {
	struct spin_thread* t = arg;
	t->tid = syscall(SYS_gettid);
	volatile unsigned long x = 0;
	while(!atomic_load_explicit(&spin_stop, memory_order_relaxed)) x++;
	t->cpu_ns = now_ns(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

static int spin(int threads, double seconds) {
	struct spin_thread* ts = calloc(threads, sizeof *ts);
	long long start = now_ns(CLOCK_REALTIME);
	for(int i = 0; i < threads; i++) pthread_create(&ts[i].th, NULL, spin_run, &ts[i]);
	struct timespec d = {(time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9)};
	nanosleep(&d, NULL);
	atomic_store(&spin_stop, 1);
	long long total = 0;
	printf("{\"mode\": \"spin\", \"pid\": %d, \"start_ns\": %lld, \"threads\": [", getpid(), start);
	for(int i = 0; i < threads; i++) {
		pthread_join(ts[i].th, NULL);
		total += ts[i].cpu_ns;
		printf("%s{\"tid\": %ld, \"cpu_ns\": %lld}", i ? ", " : "", ts[i].tid, ts[i].cpu_ns);
	}
	printf("], \"threads_cpu_ns\": %lld, \"process_cpu_ns\": %lld, \"end_ns\": %lld}\n", total,
	       now_ns(CLOCK_PROCESS_CPUTIME_ID), now_ns(CLOCK_REALTIME));
	return 0;
}

/* ---- mem ---- */
/* VmRSS, VmSize, VmHWM in kB, in one read of /proc/self/status */
static void status_kb(long out[3]) {
	static const char* keys[3] = {"VmRSS:", "VmSize:", "VmHWM:"};
	FILE* f = fopen("/proc/self/status", "r");
	char line[256];
	while(f && fgets(line, sizeof line, f)) {
		for(int i = 0; i < 3; i++) {
			if(strncmp(line, keys[i], strlen(keys[i])) == 0) out[i] = atol(line + strlen(keys[i]));
		}
	}
	if(f) fclose(f);
}

static int mem(int steps, long mib, int step_ms) {
	for(int i = 0; i < steps; i++) {
		char* p = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if(p == MAP_FAILED) die("mmap");
		memset(p, 1 + i, mib << 20);
		/* the touch faults memory in without a syscall: a brk exit carries the new vm sizes */
		sbrk(0);
		struct timespec d = {step_ms / 1000, (step_ms % 1000) * 1000000L};
		nanosleep(&d, NULL);
	}
	/* a first read touches what reading touches; the brk exit after it reports the sizes the
	 * second read sees */
	long v[3] = {-1, -1, -1};
	status_kb(v);
	sbrk(0);
	status_kb(v);
	printf("{\"mode\": \"mem\", \"pid\": %d, \"vm_rss_kb\": %ld, \"vm_size_kb\": %ld, \"vm_hwm_kb\": %ld}\n", getpid(),
	       v[0], v[1], v[2]);
	fflush(stdout);
	/* stay a while, so the last gauges are seen in a closed second */
	sleep(2);
	return 0;
}

/* ---- fileio ---- */
static int fileio(const char* path, int chunks, int bytes) {
	char* buf = malloc(bytes);
	memset(buf, 'f', bytes);
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
	if(fd < 0) die(path);
	long long out = 0, in = 0;
	int wcalls = 0, rcalls = 0;
	for(int i = 0; i < chunks; i++, wcalls++) out += write(fd, buf, bytes);
	for(int i = 0; i < chunks; i++, wcalls++) out += pwrite(fd, buf, bytes, (off_t)(chunks + i) * bytes);
	lseek(fd, (off_t)2 * chunks * bytes, SEEK_SET);
	struct iovec iov[2] = {{buf, (size_t)bytes / 2}, {buf + bytes / 2, (size_t)(bytes - bytes / 2)}};
	for(int i = 0; i < chunks; i++, wcalls++) out += writev(fd, iov, 2);
	fsync(fd);
	lseek(fd, 0, SEEK_SET);
	for(int i = 0; i < chunks; i++, rcalls++) in += read(fd, buf, bytes);
	for(int i = 0; i < chunks; i++, rcalls++) in += pread(fd, buf, bytes, (off_t)(chunks + i) * bytes);
	lseek(fd, (off_t)2 * chunks * bytes, SEEK_SET);
	for(int i = 0; i < chunks; i++, rcalls++) in += readv(fd, iov, 2);
	close(fd);
	printf("{\"mode\": \"fileio\", \"pid\": %d, \"file\": \"%s\", \"bytes_written\": %lld, \"write_calls\": %d, "
	       "\"bytes_read\": %lld, \"read_calls\": %d}\n",
	       getpid(), path, out, wcalls, in, rcalls);
	return 0;
}

/* ---- tcp / udp ---- */
static struct sockaddr_in loopback(int port) {
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int tcp(int port, long long up, long long down) {
	int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = loopback(port);
	if(bind(ls, (struct sockaddr*)&a, sizeof a) < 0 || listen(ls, 1) < 0) die("tcp listen");
	static char buf[65536];
	memset(buf, 't', sizeof buf);
	pid_t server = fork();
	if(server == 0) {
		int c = accept(ls, NULL, NULL);
		long long n = 0;
		while(n < up) {
			ssize_t r = read(c, buf, sizeof buf);
			if(r <= 0) break;
			n += r;
		}
		for(long long sent = 0; sent < down;) sent += write(c, buf, down - sent < (long long)sizeof buf ? down - sent : sizeof buf);
		close(c);
		_exit(n == up ? 0 : 1);
	}
	close(ls);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if(connect(s, (struct sockaddr*)&a, sizeof a) < 0) die("tcp connect");
	struct sockaddr_in me;
	socklen_t len = sizeof me;
	getsockname(s, (struct sockaddr*)&me, &len);
	for(long long sent = 0; sent < up;) sent += write(s, buf, up - sent < (long long)sizeof buf ? up - sent : sizeof buf);
	long long got = 0;
	for(ssize_t r; got < down && (r = read(s, buf, sizeof buf)) > 0;) got += r;
	close(s);
	int st = 0;
	waitpid(server, &st, 0);
	printf("{\"mode\": \"tcp\", \"client_pid\": %d, \"server_pid\": %d, \"client_port\": %d, \"server_port\": %d, "
	       "\"up\": %lld, \"down\": %lld, \"server_ok\": %s}\n",
	       getpid(), server, ntohs(me.sin_port), port, up, got, WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "true" : "false");
	return 0;
}

static int udp(int port, int count, int size) {
	int rs = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = loopback(port);
	if(bind(rs, (struct sockaddr*)&a, sizeof a) < 0) die("udp bind");
	/* room for every datagram while busy threads starve the receiver; a lost one ends the wait, not the run */
	int room = count * (size + 1024);
	if(setsockopt(rs, SOL_SOCKET, SO_RCVBUFFORCE, &room, sizeof room) < 0)
		setsockopt(rs, SOL_SOCKET, SO_RCVBUF, &room, sizeof room);
	struct timeval patience = {10, 0};
	setsockopt(rs, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
	char* buf = calloc(1, size);
	pid_t server = fork();
	if(server == 0) {
		long long n = 0;
		for(int i = 0; i < count; i++) {
			ssize_t r = recvfrom(rs, buf, size, 0, NULL, NULL);
			if(r < 0) break;
			n += r;
		}
		_exit(n == (long long)count * size ? 0 : 1);
	}
	close(rs);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	long long sent = 0;
	for(int i = 0; i < count; i++) {
		sent += sendto(s, buf, size, 0, (struct sockaddr*)&a, sizeof a);
		if(i % 16 == 15) usleep(1000); /* the receiver keeps up: no datagram is lost */
	}
	int st = 0;
	waitpid(server, &st, 0);
	printf("{\"mode\": \"udp\", \"client_pid\": %d, \"server_pid\": %d, \"server_port\": %d, \"sent\": %lld, "
	       "\"server_ok\": %s}\n",
	       getpid(), server, port, sent, WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "true" : "false");
	return 0;
}

/* ---- churn ---- */
static int churn(int count) {
	printf("{\"mode\": \"churn\", \"pid\": %d, \"children\": [", getpid());
	for(int i = 0; i < count; i++) {
		char arg[32];
		snprintf(arg, sizeof arg, "churn-%d", i);
		long long launch = now_ns(CLOCK_REALTIME);
		pid_t c = fork();
		if(c == 0) {
			execl("/bin/true", "true", arg, (char*)NULL);
			_exit(127);
		}
		int st = 0;
		waitpid(c, &st, 0);
		printf("%s{\"pid\": %d, \"arg\": \"%s\", \"launch_ns\": %lld, \"reaped_ns\": %lld, \"exit\": %d}", i ? ", " : "",
		       c, arg, launch, now_ns(CLOCK_REALTIME), WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	printf("]}\n");
	return 0;
}

/* ---- errors ---- */
static int errors(int opens, int connects) {
	int enoent = 0, refused = 0;
	for(int i = 0; i < opens; i++) {
		char path[64];
		snprintf(path, sizeof path, "/nonexistent/loadgen-%d-%d", getpid(), i);
		if(open(path, O_RDONLY) < 0 && errno == ENOENT) enoent++;
	}
	/* a port nothing listens on: bound then closed, so it is free */
	int probe = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = loopback(0);
	socklen_t len = sizeof a;
	bind(probe, (struct sockaddr*)&a, sizeof a);
	getsockname(probe, (struct sockaddr*)&a, &len);
	close(probe);
	for(int i = 0; i < connects; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if(connect(s, (struct sockaddr*)&a, sizeof a) < 0 && errno == ECONNREFUSED) refused++;
		close(s);
	}
	printf("{\"mode\": \"errors\", \"pid\": %d, \"enoent\": %d, \"econnrefused\": %d}\n", getpid(), enoent, refused);
	return 0;
}

/* ---- faults ---- */
static int faults(long mib) {
	struct rusage before, after;
	getrusage(RUSAGE_SELF, &before);
	char* p = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if(p == MAP_FAILED) die("mmap");
	for(long i = 0; i < (mib << 20); i += 4096) p[i] = 1;
	getrusage(RUSAGE_SELF, &after);
	printf("{\"mode\": \"faults\", \"pid\": %d, \"minor_faults\": %ld, \"total_minor_faults\": %ld, \"major_faults\": %ld}\n",
	       getpid(), after.ru_minflt - before.ru_minflt, after.ru_minflt, after.ru_majflt);
	fflush(stdout);
	sleep(2);
	return 0;
}

int main(int argc, char** argv) {
	if(argc > 2 && strcmp(argv[1], "--cgroup") == 0) {
		join_cgroup(argv[2]);
		/* by its own path, not /proc/self/exe: the name after execve is the path's last part */
		static char self[4096];
		ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
		if(n <= 0) die("readlink /proc/self/exe");
		self[n] = '\0';
		argv[2] = argv[0];
		execv(self, argv + 2);
		die("execv");
	}
	static char out[1 << 20]; /* static: no allocation after a mode measured its memory */
	setvbuf(stdout, out, _IOFBF, sizeof out);
	const char* m = argc > 1 ? argv[1] : "";
	if(strcmp(m, "spin") == 0 && argc == 4) return spin(atoi(argv[2]), atof(argv[3]));
	if(strcmp(m, "mem") == 0 && argc == 5) return mem(atoi(argv[2]), atol(argv[3]), atoi(argv[4]));
	if(strcmp(m, "fileio") == 0 && argc == 5) return fileio(argv[2], atoi(argv[3]), atoi(argv[4]));
	if(strcmp(m, "tcp") == 0 && argc == 5) return tcp(atoi(argv[2]), atoll(argv[3]), atoll(argv[4]));
	if(strcmp(m, "udp") == 0 && argc == 5) return udp(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	if(strcmp(m, "churn") == 0 && argc == 3) return churn(atoi(argv[2]));
	if(strcmp(m, "errors") == 0 && argc == 4) return errors(atoi(argv[2]), atoi(argv[3]));
	if(strcmp(m, "faults") == 0 && argc == 3) return faults(atol(argv[2]));
	fprintf(stderr, "usage: loadgen [--cgroup PATH] spin|mem|fileio|tcp|udp|churn|errors|faults ARGS...\n");
	return 2;
}
