/*
 * scapstream shim: a plain C ABI over libsinsp (falcosecurity libs 0.20.0).
 *
 * The caller (Java, through JNA) owns a byte buffer and asks the shim to fill it with a batch of
 * records: fixed-layout event records, preceded when needed by variable-length dictionary records
 * (thread, container, fd, memory) that describe what the event records refer to by key. One native
 * call moves thousands of events; nothing is allocated per event on the Java side.
 *
 * Every record starts with an 8-byte header: u16 kind, u16 length (total, multiple of 8), u32 spare.
 * All integers are little-endian; strings are u16 length + UTF-8 bytes (not NUL terminated).
 * The layout below is mirrored by java/.../capture/RecordLayout.java; keep the two in step.
 *
 * No function throws or aborts: errors come back as text in the caller's buffer, and their kind
 * from ss_last_error_kind().
 */
#ifndef SCAPSTREAM_H
#define SCAPSTREAM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Changes whenever a record layout, a constant or a signature below changes: the Java side refuses
 * a library of another version (ss_abi_version) instead of misreading its records. */
#define SS_ABI_VERSION 4

/* record kinds */
#define SS_REC_EVENT 1
#define SS_REC_THREAD 2
#define SS_REC_CONTAINER 3
#define SS_REC_FD 4
#define SS_REC_MEMORY 5
#define SS_REC_SKIPPED 6

/* SS_REC_EVENT, 56 bytes:
 *  0 u16 kind, 2 u16 len, 4 u16 event type (PPME_*), 6 u16 name id (event type, or 1024 + ppm_sc
 *  for generic syscall events), 8 u64 ts (ns since epoch), 16 i64 tid,
 *  24 i64 res (return value of syscall exits; next tid of sched_switch; user ticks of procinfo),
 *  32 u64 extra (syscall exits: latency ns = exit ts - enter ts, 0 when unknown; procinfo: system
 *  ticks; signal_deliver: the signal), 40 u16 cpu, 42 u8 flags (SS_F_*), 43 u8 fd type
 *  (scap_fd_type, 0xff when none), 44 u32 container key (0 = host), 48 u32 fd key (0 = none),
 *  52 i32 fd number (-1 = none). The pid is in the thread's dictionary record. */
#define SS_EVENT_SIZE 56
#define SS_F_EXIT 0x01     /* exit half of a syscall (or an event without direction)   */
#define SS_F_IO_READ 0x02  /* EF_READS_FROM_FD: res > 0 is bytes read                  */
#define SS_F_IO_WRITE 0x04 /* EF_WRITES_TO_FD: res > 0 is bytes written                 */
#define SS_F_SYSCALL 0x08  /* a system call (not a tracepoint or meta event)           */
#define SS_F_FAILED 0x10   /* syscall exit with a negative return value (-errno)       */
#define SS_F_OPEN 0x20     /* exit of an open-family call; failed ones carry a file fd key for the
                              path they tried (fd number -1) */

/* SS_REC_THREAD: 8 i64 tid, 16 i64 pid, 24 i64 ptid, 32 u64 clone_ts, 40 u64 exec_ts,
 *  48 u32 uid, 52 u32 container key, 56 u32 flags (PPM_CL_*), 60 u32 vpid,
 *  64.. strings: comm, exe, exepath, args (joined with single spaces), user name */
#define SS_THREAD_FIXED 64

/* SS_REC_CONTAINER: 8 u32 key, 12 u32 runtime type (sinsp_container_type), 16 u32 lookup state
 *  (0 done, 1 pending/failed), 20 u32 spare, 24.. strings: id (12 hex), full id, name, image,
 *  runtime name */
#define SS_CONTAINER_FIXED 24

/* SS_REC_FD: 8 u32 key, 12 u8 fd type, 13 u8 l4 proto (scap_l4_proto), 14 u8 role (1 client,
 *  2 server, 0 unknown), 15 u8 spare, 16 u16 sport, 18 u16 dport, 20 u32 spare,
 *  24.. strings: name (path, or tuple cip:cport->sip:sport) */
#define SS_FD_FIXED 24

/* SS_REC_MEMORY (main thread of a process, when a value changed), 48 bytes:
 *  8 i64 pid, 16 u64 ts, 24 u32 vm_size kB, 28 u32 vm_rss kB, 32 u32 vm_swap kB, 36 u32 spare,
 *  40 u64 minor page faults (low 40 bits) | major page faults << 40 */
#define SS_MEMORY_SIZE 48

/* SS_REC_SKIPPED, 24 bytes: 8 u64 ts (of the last event counted), 16 u64 count: syscall enter
 * events read but not sent as records (flag bit 2), all within the same second as ts. */
#define SS_SKIPPED_SIZE 24

/* next_batch status */
#define SS_OK 0
#define SS_EOF 1
#define SS_TIMEOUT 2
#define SS_ERROR -1

/* ss_last_error_kind(): what the last failed call on this thread failed at, decided where the
 * shim knows it (which step of ss_open threw, what the file's first bytes are), so callers need not
 * guess from a message's words */
#define SS_ERRK_NONE 0
#define SS_ERRK_OTHER 1       /* anything not below */
#define SS_ERRK_FILE 2        /* the file is missing, unreadable or a directory */
#define SS_ERRK_NOT_CAPTURE 3 /* the file does not start as a .scap (pcapng section header block) */
#define SS_ERRK_TRUNCATED 4   /* a capture that ends before its header, tables or last event do */
#define SS_ERRK_CORRUPT 5     /* a capture whose contents cannot be parsed before its end */
#define SS_ERRK_FILTER 6      /* the filter does not compile */
#define SS_ERRK_LIVE 7        /* the probe cannot be loaded, started or read */
#define SS_ERRK_WRITE 8       /* the recording cannot be opened or written */
#define SS_ERRK_FORMAT 9      /* an output format or one of its fields is not valid */

/* open modes */
#define SS_MODE_FILE 0
#define SS_MODE_MODERN_BPF 1
#define SS_MODE_KMOD 2

typedef struct ss_capture ss_capture;

/* Opens a capture. `source`: for SS_MODE_FILE a file path, or several separated by '\n' (a set:
 * read one after the other in the order of their first events, as one timeline), ignored otherwise. `filter`: sysdig
 * filter or NULL/"". `buffer_bytes`: per-CPU ring size for live modes (0 = default 8 MiB).
 * `dump_path`: write every returned event to this .scap file (NULL = no recording).
 * `flags`: bit 0 = procinfo CPU samples from /proc (live), bit 1 = page fault events (live),
 * bit 2 = no records for syscall enter events (their timestamps still give the exits' latency;
 * metrics need only exits, and enters are half of all events), bit 3 = when recording, blank the
 * args, env, exe path, cwd and open files of the processes that existed before the capture in the
 * written thread table (privacy: only what starts during the recording is kept in full). On failure returns NULL and writes a one-line message into err. */
ss_capture* ss_open(int mode,
                    const char* source,
                    const char* filter,
                    uint64_t buffer_bytes,
                    const char* dump_path,
                    uint32_t flags,
                    char* err,
                    int32_t err_len);

/* Fills buf with records. Returns SS_OK (more to come), SS_EOF (file finished; buf may still hold
 * records), SS_TIMEOUT (live: no event within the wait; buf may hold records) or SS_ERROR (message
 * in err). *used receives the bytes written, *events the number of event records.
 * `max_wait_ms` bounds how long a live call may keep collecting before returning a partial batch. */
int32_t ss_next_batch(ss_capture* c,
                      uint8_t* buf,
                      int32_t cap,
                      int32_t* used,
                      int32_t* events,
                      int32_t max_wait_ms,
                      char* err,
                      int32_t err_len);

/* ss_record_open flags */
#define SS_RECORD_GZIP 1

/* Adds a recording of every event the capture returns (call before the first ss_next_batch).
 * `path`: a file, or a directory (ends with '/' or exists) for a set of files named by their start
 * time. `max_bytes` (-C): a new file once one reaches this size; `seconds` (-G): a new file at each
 * multiple of this in event time; `max_files` (-W) and `max_total`: keep at most that many files or
 * bytes, deleting the oldest; 0 = no limit. Each file starts with the current thread, fd and
 * container tables, so it reads on its own. 0 on success, -1 with a message in err. */
int32_t ss_record_open(ss_capture* c,
                       const char* path,
                       uint64_t max_bytes,
                       uint32_t seconds,
                       uint32_t max_files,
                       uint64_t max_total,
                       uint32_t flags,
                       char* err,
                       int32_t err_len);

/* Flushes the recordings and writes what changed in their files since the last call into out, one
 * line each, tab-separated: "open PATH FIRST_NS LAST_NS BYTES", "closed PATH FIRST_NS LAST_NS BYTES",
 * "gone PATH FIRST_NS LAST_NS BYTES" (a file rotation deleted, as it was closed). Returns the
 * length, -2 when out is too small (call again with more room; nothing is lost), -1 on error. */
int32_t ss_record_poll(ss_capture* c, char* out, int32_t out_len);

/* Closes the recordings' current files; out receives their last notices as ss_record_poll's.
 * Returns the length, or -1 with a message in err (a write failure). */
int32_t ss_record_close(ss_capture* c, char* out, int32_t out_len, char* err, int32_t err_len);

/* Bytes of each I/O buffer a live capture keeps (sysdig's -s); no-op for files. 0 on success. */
int32_t ss_set_snaplen(ss_capture* c, uint32_t snaplen, char* err, int32_t err_len);

/* The file (of a set) that this thread's last failed call was about; "" when none. */
const char* ss_last_error_source(void);

/* Starts a live capture (the probe is loaded by ss_open but produces nothing until this call or
 * the first ss_next_batch). No-op for files and after ss_stop. 0 on success. */
int32_t ss_start(ss_capture* c, char* err, int32_t err_len);

/* Stops a live capture (no more events are produced; what is buffered can still be read). */
int32_t ss_stop(ss_capture* c, char* err, int32_t err_len);

/* Capture statistics as "name value\n" lines: evts, drops, drops per reason and per CPU
 * (libscap's metrics), seen and returned events. Returns bytes written or -1. */
int32_t ss_stats(ss_capture* c, char* out, int32_t out_len);

/* The name of a name id from an event record ("read", "sched_switch", ...). */
int32_t ss_name(int32_t name_id, char* out, int32_t out_len);

/* Number of event types (PPM_EVENT_MAX); name ids are below 1024 + PPM_SC_MAX. */
int32_t ss_name_id_limit(void);

/* Closes and frees. Safe with NULL. Flushes a recording. */
void ss_close(ss_capture* c);

/* SS_ABI_VERSION of the library. */
int32_t ss_abi_version(void);

/* SS_ERRK_* of the last call on the calling thread that returned an error (SS_ERRK_NONE after a
 * call that succeeded). */
int32_t ss_last_error_kind(void);

/* "0.20.0" etc. */
const char* ss_libs_version(void);

/* Checks live capture prerequisites (BTF, privileges) without loading a probe; 1 = looks
 * possible, 0 = not (reason in err). */
int32_t ss_live_possible(int mode, char* err, int32_t err_len);

/* Formatted events (`scapstream events`): every event rendered by libsinsp's own formatter
 * (sinsp_evt_formatter), many lines per call, each ending in '\n'. Control characters of the
 * rendering are written as \xNN (with SS_FMT_ASCII / SS_FMT_HEXASCII the line breaks and tabs of
 * libsinsp's buffer layout stay), so a trace cannot drive the terminal. */
#define SS_FMT_JSON 1u      /* one JSON object per event (OF_JSON), as sysdig -j */
#define SS_FMT_ASCII 2u     /* I/O buffers as text, non-printables as '.' (sysdig -A) */
#define SS_FMT_HEXASCII 4u  /* I/O buffers as hex + ASCII (sysdig -X) */
#define SS_FMT_VERBOSE 8u   /* buffers not cut to 80 characters (sysdig -v) */

typedef struct ss_formatter ss_formatter;

/* Formats the events of an open capture (before its ss_start, for a live one). `format`: a sysdig
 * output format; "" is sysdig's default line, "c" or "container" sysdig's -pc line. `snaplen`
 * (live only, 0 = the driver's default): bytes of each I/O buffer captured. Only events with
 * from_ns <= ts <= to_ns are written (0 = unbounded); `limit` lines at most (0 = no limit).
 * Events libsinsp makes for itself (EC_INTERNAL) are skipped, as sysdig does. On a bad format
 * returns NULL with a one-line message in err. The capture must outlive the formatter. */
ss_formatter* ss_format_open(ss_capture* c,
                             const char* format,
                             uint32_t flags,
                             uint32_t snaplen,
                             uint64_t from_ns,
                             uint64_t to_ns,
                             uint64_t limit,
                             char* err,
                             int32_t err_len);

/* Fills buf with formatted lines; *used gets the bytes, *lines the lines. Returns as
 * ss_next_batch: SS_OK, SS_EOF (end of file or limit reached), SS_TIMEOUT (live: nothing within
 * max_wait_ms, or that long spent collecting) or SS_ERROR (message in err; buf still holds the
 * lines formatted before the error). A line longer than cap is cut to fit. */
int32_t ss_format_next(ss_formatter* f,
                       uint8_t* buf,
                       int32_t cap,
                       int32_t* used,
                       int32_t* lines,
                       int32_t max_wait_ms,
                       char* err,
                       int32_t err_len);

void ss_format_close(ss_formatter* f);

/* The reference of `events` and the baseline of `bench-events`: a plain sinsp::next() loop over a
 * file (the inspector settings of ss_open), each event formatted as ss_format_open does and
 * written to fd (fd < 0: to /dev/null). *lines receives the lines written, *elapsed_ns the time after the open. 0 on
 * success. */
int32_t ss_format_raw(const char* path,
                      const char* filter,
                      const char* format,
                      uint32_t flags,
                      int32_t fd,
                      uint64_t* lines,
                      uint64_t* elapsed_ns,
                      char* err,
                      int32_t err_len);

/* State chisels (ps, lsof, netstat, lscontainers): reads c until its first event at or after
 * at_ns (0 = its first event; a file's end, or live max_wait_ms, also ends the wait), then renders
 * libsinsp's thread table, each process's fds and the containers as JSON lines ("kind": thread,
 * fd, container), kept for this thread. Returns their length in bytes, or -1 (message in err). */
int64_t ss_state_dump(ss_capture* c, uint64_t at_ns, int32_t max_wait_ms, char* err, int32_t err_len);

/* Copies up to cap bytes of this thread's last dump into buf and forgets it; returns the bytes. */
int64_t ss_state_read(uint8_t* buf, int64_t cap);

#ifdef __cplusplus
}
#endif
#endif
