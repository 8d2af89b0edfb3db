package dev.scapstream.store.sqlite;

import dev.scapstream.store.Rows;

import java.util.List;

/** The tables of schema/sqlite.sql; a series table's order after ts is the rest of its primary key. */
final class Tables {
    private Tables() {}

    static final RowTable<Rows.ContainerRow> CONTAINER_ROWS =
            RowTable.series("container_rows", Rows.ContainerRow.class, true, "");
    static final RowTable<Rows.ProcessRow> PROCESS_ROWS =
            RowTable.series("process_rows", Rows.ProcessRow.class, true, "pid, start_ts");
    static final RowTable<Rows.FileRow> FILE_ROWS =
            RowTable.series("file_rows", Rows.FileRow.class, true, "pid, file");
    static final RowTable<Rows.ConnectionRow> CONNECTION_ROWS =
            RowTable.series("connection_rows", Rows.ConnectionRow.class, true, "pid, l4, tuple");
    static final RowTable<Rows.PortRow> PORT_ROWS =
            RowTable.series("port_rows", Rows.PortRow.class, true, "l4, port");
    static final RowTable<Rows.SyscallRow> SYSCALL_ROWS =
            RowTable.series("syscall_rows", Rows.SyscallRow.class, true, "pid, syscall");
    static final RowTable<Rows.ErrnoRow> ERRNO_ROWS =
            RowTable.series("errno_rows", Rows.ErrnoRow.class, true, "pid, syscall, errno");
    static final RowTable<Rows.ThreadRow> THREAD_ROWS =
            RowTable.series("thread_rows", Rows.ThreadRow.class, true, "pid, tid");
    static final RowTable<Rows.CpuRow> CPU_ROWS =
            RowTable.series("cpu_rows", Rows.CpuRow.class, false, "cpu");
    static final RowTable<Rows.AgentRow> AGENT_ROWS =
            RowTable.series("agent_rows", Rows.AgentRow.class, false, "");

    // A retried or late write must not revive an exited process nor blank known strings.
    static final RowTable<Rows.ProcessInfo> PROCESSES = RowTable.merged("processes", Rows.ProcessInfo.class,
            "ON CONFLICT (host, container_id, pid, start_ts) DO UPDATE SET"
                    + " ppid = excluded.ppid,"
                    + " exit_ts = CASE WHEN excluded.exit_ts <> 0 THEN excluded.exit_ts ELSE processes.exit_ts END,"
                    + " comm = coalesce(nullif(excluded.comm, ''), processes.comm),"
                    + " exe = coalesce(nullif(excluded.exe, ''), processes.exe),"
                    + " args = coalesce(nullif(excluded.args, ''), processes.args),"
                    + " user = coalesce(nullif(excluded.user, ''), processes.user)");

    // Agents report what they know each time: widen the seen range, keep the best-known names.
    static final RowTable<Rows.ContainerInfo> CONTAINERS = RowTable.merged("containers", Rows.ContainerInfo.class,
            "ON CONFLICT (host, id) DO UPDATE SET"
                    + " name = coalesce(nullif(excluded.name, ''), containers.name),"
                    + " image = coalesce(nullif(excluded.image, ''), containers.image),"
                    + " runtime = coalesce(nullif(excluded.runtime, ''), containers.runtime),"
                    + " first_seen = min(containers.first_seen, excluded.first_seen),"
                    + " last_seen = max(containers.last_seen, excluded.last_seen)");

    // The recorder's notices in order: a later one replaces times and size, a "gone" only marks the file.
    static final RowTable<Rows.Recording> RECORDINGS = RowTable.merged("recordings", Rows.Recording.class,
            "ON CONFLICT (host, path) DO UPDATE SET"
                    + " first_ns = CASE WHEN excluded.gone THEN recordings.first_ns ELSE excluded.first_ns END,"
                    + " last_ns = CASE WHEN excluded.gone THEN recordings.last_ns ELSE excluded.last_ns END,"
                    + " bytes = CASE WHEN excluded.gone THEN recordings.bytes ELSE excluded.bytes END,"
                    + " gone = excluded.gone");

    /** The tables expire() cleans: the ones with a resolution. */
    static final List<RowTable<?>> SERIES = List.of(CONTAINER_ROWS, PROCESS_ROWS, FILE_ROWS, CONNECTION_ROWS,
            PORT_ROWS, SYSCALL_ROWS, ERRNO_ROWS, THREAD_ROWS, CPU_ROWS, AGENT_ROWS);

    static final List<RowTable<?>> ALL = List.of(CONTAINER_ROWS, PROCESS_ROWS, FILE_ROWS, CONNECTION_ROWS,
            PORT_ROWS, SYSCALL_ROWS, ERRNO_ROWS, THREAD_ROWS, CPU_ROWS, AGENT_ROWS, PROCESSES, CONTAINERS, RECORDINGS);
}
