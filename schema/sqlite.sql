-- scapstream embedded store, schema version 3 (why it looks like this: schema/RATIONALE.md).
-- SqliteStore applies it when missing; it also works by hand: sqlite3 scapstream.db < schema/sqlite.sql
-- Column names are the fields of dev.scapstream.store.Rows in snake_case; times are epoch seconds.
-- Every row table's primary key starts with (host, [container_id,] res, ts): the read paths are
-- equality on those plus a ts range, so the key is the index and the tables are WITHOUT ROWID.
-- A row's key is its natural key, so writing it again replaces it (running rollups, retries).

CREATE TABLE IF NOT EXISTS schema_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT OR IGNORE INTO schema_version (id, version) VALUES (1, 4);

CREATE TABLE IF NOT EXISTS container_rows (
    host            TEXT    NOT NULL,
    container_id    TEXT    NOT NULL,
    ts              INTEGER NOT NULL,
    res             INTEGER NOT NULL,
    cpu_ns          INTEGER NOT NULL,
    cpu_source      TEXT,               -- Rows.CpuSource name
    mem_rss_kb      INTEGER NOT NULL,
    mem_rss_max_kb  INTEGER NOT NULL,
    mem_vm_kb       INTEGER NOT NULL,
    mem_swap_kb     INTEGER NOT NULL,
    file_in_bytes   INTEGER NOT NULL,
    file_out_bytes  INTEGER NOT NULL,
    file_ops        INTEGER NOT NULL,
    net_in_bytes    INTEGER NOT NULL,
    net_out_bytes   INTEGER NOT NULL,
    syscalls        INTEGER NOT NULL,
    syscall_errors  INTEGER NOT NULL,
    processes       INTEGER NOT NULL,
    PRIMARY KEY (host, container_id, res, ts)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS process_rows (
    host            TEXT    NOT NULL,
    container_id    TEXT    NOT NULL,
    pid             INTEGER NOT NULL,
    start_ts        INTEGER NOT NULL,
    ts              INTEGER NOT NULL,
    res             INTEGER NOT NULL,
    cpu_ns          INTEGER NOT NULL,
    cpu_user_ns     INTEGER NOT NULL,
    cpu_sys_ns      INTEGER NOT NULL,
    cpu_source      TEXT,               -- Rows.CpuSource name
    vm_size_kb      INTEGER NOT NULL,
    vm_rss_kb       INTEGER NOT NULL,
    vm_rss_max_kb   INTEGER NOT NULL,
    vm_swap_kb      INTEGER NOT NULL,
    minor_faults    INTEGER NOT NULL,
    major_faults    INTEGER NOT NULL,
    file_in_bytes   INTEGER NOT NULL,
    file_out_bytes  INTEGER NOT NULL,
    net_in_bytes    INTEGER NOT NULL,
    net_out_bytes   INTEGER NOT NULL,
    syscalls        INTEGER NOT NULL,
    syscall_errors  INTEGER NOT NULL,
    PRIMARY KEY (host, container_id, res, ts, pid, start_ts)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS file_rows (
    host            TEXT    NOT NULL,
    container_id    TEXT    NOT NULL,
    pid             INTEGER NOT NULL,
    file            TEXT    NOT NULL,
    ts              INTEGER NOT NULL,
    res             INTEGER NOT NULL,
    bytes_in        INTEGER NOT NULL,
    bytes_out       INTEGER NOT NULL,
    ops_in          INTEGER NOT NULL,
    ops_out         INTEGER NOT NULL,
    opens           INTEGER NOT NULL DEFAULT 0,  -- successful opens (schema version 4)
    open_errors     INTEGER NOT NULL DEFAULT 0,  -- failed opens of this path (schema version 4)
    PRIMARY KEY (host, container_id, res, ts, pid, file)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS connection_rows (
    host            TEXT    NOT NULL,
    container_id    TEXT    NOT NULL,
    pid             INTEGER NOT NULL,
    l4              TEXT    NOT NULL,
    tuple           TEXT    NOT NULL,
    server_port     INTEGER NOT NULL,   -- derived from the tuple, so not part of the key
    ts              INTEGER NOT NULL,
    res             INTEGER NOT NULL,
    bytes_in        INTEGER NOT NULL,
    bytes_out       INTEGER NOT NULL,
    PRIMARY KEY (host, container_id, res, ts, pid, l4, tuple)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS port_rows (
    host            TEXT    NOT NULL,
    container_id    TEXT    NOT NULL,
    l4              TEXT    NOT NULL,
    port            INTEGER NOT NULL,
    ts              INTEGER NOT NULL,
    res             INTEGER NOT NULL,
    bytes_in        INTEGER NOT NULL,
    bytes_out       INTEGER NOT NULL,
    PRIMARY KEY (host, container_id, res, ts, l4, port)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS syscall_rows (
    host             TEXT    NOT NULL,
    container_id     TEXT    NOT NULL,
    pid              INTEGER NOT NULL,
    syscall          TEXT    NOT NULL,
    ts               INTEGER NOT NULL,
    res              INTEGER NOT NULL,
    calls            INTEGER NOT NULL,
    errors           INTEGER NOT NULL,
    total_latency_ns INTEGER NOT NULL,
    max_latency_ns   INTEGER NOT NULL,
    PRIMARY KEY (host, container_id, res, ts, pid, syscall)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS errno_rows (
    host            TEXT    NOT NULL,
    container_id    TEXT    NOT NULL,
    pid             INTEGER NOT NULL,
    syscall         TEXT    NOT NULL,
    errno           INTEGER NOT NULL,
    ts              INTEGER NOT NULL,
    res             INTEGER NOT NULL,
    count           INTEGER NOT NULL,
    PRIMARY KEY (host, container_id, res, ts, pid, syscall, errno)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS thread_rows (
    host            TEXT    NOT NULL,
    container_id    TEXT    NOT NULL,
    pid             INTEGER NOT NULL,
    tid             INTEGER NOT NULL,
    ts              INTEGER NOT NULL,
    res             INTEGER NOT NULL,
    cpu_ns          INTEGER NOT NULL,
    PRIMARY KEY (host, container_id, res, ts, pid, tid)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cpu_rows (
    host            TEXT    NOT NULL,
    cpu             INTEGER NOT NULL,
    ts              INTEGER NOT NULL,
    res             INTEGER NOT NULL,
    busy_ns         INTEGER NOT NULL,
    PRIMARY KEY (host, res, ts, cpu)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS agent_rows (
    host               TEXT    NOT NULL,
    ts                 INTEGER NOT NULL,
    res                INTEGER NOT NULL,
    events             INTEGER NOT NULL,
    drops              INTEGER NOT NULL,
    drops_buffer       INTEGER NOT NULL,
    drops_scratch_map  INTEGER NOT NULL,
    drops_pf           INTEGER NOT NULL,
    drops_bug          INTEGER NOT NULL,
    preemptions        INTEGER NOT NULL,
    PRIMARY KEY (host, res, ts)
) WITHOUT ROWID;

-- Upserted, not replaced: exit_ts stays once known and empty strings never erase known ones,
-- so a late or retried write cannot revive a process or blank its command line.
CREATE TABLE IF NOT EXISTS processes (
    host            TEXT    NOT NULL,
    container_id    TEXT    NOT NULL,
    pid             INTEGER NOT NULL,
    ppid            INTEGER NOT NULL,
    start_ts        INTEGER NOT NULL,   -- 0: started before the capture
    exit_ts         INTEGER NOT NULL,   -- 0: alive
    comm            TEXT,
    exe             TEXT,
    args            TEXT,
    user            TEXT,
    PRIMARY KEY (host, container_id, pid, start_ts)
) WITHOUT ROWID;

-- Upserted: first_seen = min, last_seen = max, name/image/runtime replaced only by non-empty values.
CREATE TABLE IF NOT EXISTS containers (
    host            TEXT    NOT NULL,
    id              TEXT    NOT NULL,   -- "host" for processes outside containers
    name            TEXT,
    image           TEXT,
    runtime         TEXT,
    first_seen      INTEGER NOT NULL,
    last_seen       INTEGER NOT NULL,
    PRIMARY KEY (host, id)
) WITHOUT ROWID;

-- The index of recorded capture files (live -w): one row per file, upserted by (host, path) as
-- the recorder reports it once a second (open, closed with its last event and size), and marked
-- gone when rotation deletes it, keeping its times. Times are epoch ns of its first and last event.
-- Read by time range ("which files hold this second"): the index on last_ns starts the scan at
-- the files that end after the range begins.
CREATE TABLE IF NOT EXISTS recordings (
    host            TEXT    NOT NULL,
    path            TEXT    NOT NULL,   -- absolute, as written
    first_ns        INTEGER NOT NULL,
    last_ns         INTEGER NOT NULL,
    bytes           INTEGER NOT NULL,
    gone            INTEGER NOT NULL,   -- 1: deleted by rotation (-W, --record-max)
    PRIMARY KEY (host, path)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS recordings_by_last ON recordings (host, last_ns);
