package dev.scapstream.view;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;

import java.util.List;

/**
 * Every view, defined once (csysdig's columns where csysdig has the view). Chisels, `top` and
 * `top --json` are renderings of these; a new view is one entry here.
 */
public final class Catalog {
    private Catalog() {}

    private static String command(Rows.ProcessInfo p) {
        return p.args() == null || p.args().isEmpty() ? p.comm() : p.comm() + " " + p.args();
    }

    public static final View<Rows.ContainerRow> CONTAINERS = View.of("containers", "Containers",
                    "CPU, memory, file and network use of every container (the host as 'host')",
                    MetricsStore::containerSeries, null, Rows.ContainerRow::ts)
            .sum("CPU", Unit.CPU_NS, (r, n) -> r.cpuNs())
            .max("PROCS", Unit.COUNT, (r, n) -> (long) r.processes())
            .last("VIRT", Unit.KB, (r, n) -> r.memVmKb())
            .last("RES", Unit.KB, (r, n) -> r.memRssKb())
            .sum("FILE", Unit.BYTES, (r, n) -> r.fileInBytes() + r.fileOutBytes())
            .sum("NET", Unit.BYTES, (r, n) -> r.netInBytes() + r.netOutBytes())
            .sum("SYSCALLS", Unit.COUNT, (r, n) -> r.syscalls())
            .sum("ERRORS", Unit.COUNT, (r, n) -> r.syscallErrors())
            .info("ENGINE", Unit.TEXT, (r, n) -> n.container(r.containerId()).runtime())
            .info("IMAGE", Unit.TEXT, (r, n) -> n.container(r.containerId()).image())
            .key("ID", Unit.TEXT, (r, n) -> r.containerId())
            .info("NAME", Unit.TEXT, (r, n) -> n.containerName(r.containerId()))
            .drill("processes", (s, row) -> s.container((String) row.apply("ID")))
            .sortBy("CPU");

    public static final View<Rows.ProcessRow> PROCESSES = View.of("processes", "Processes",
                    "CPU, memory, file and network use of every process",
                    MetricsStore::processSeries, Rows.ProcessRow::pid, Rows.ProcessRow::ts)
            .key("PID", Unit.COUNT, (r, n) -> r.pid())
            .info("PPID", Unit.COUNT, (r, n) -> n.process(r.containerId(), r.pid(), r.startTs()).ppid())
            .sum("CPU", Unit.CPU_NS, (r, n) -> r.cpuNs())
            .info("USER", Unit.TEXT, (r, n) -> n.process(r.containerId(), r.pid(), r.startTs()).user())
            .last("VIRT", Unit.KB, (r, n) -> r.vmSizeKb())
            .last("RES", Unit.KB, (r, n) -> r.vmRssKb())
            .sum("FILE", Unit.BYTES, (r, n) -> r.fileInBytes() + r.fileOutBytes())
            .sum("NET", Unit.BYTES, (r, n) -> r.netInBytes() + r.netOutBytes())
            .sum("SYSCALLS", Unit.COUNT, (r, n) -> r.syscalls())
            .sum("ERRORS", Unit.COUNT, (r, n) -> r.syscallErrors())
            .info("CONTAINER", Unit.TEXT, (r, n) -> n.containerName(r.containerId()))
            .info("Command", Unit.TEXT, (r, n) -> command(n.process(r.containerId(), r.pid(), r.startTs())))
            .hiddenInfo("NAME", Unit.TEXT, (r, n) -> n.process(r.containerId(), r.pid(), r.startTs()).comm())
            .hiddenKey("START", Unit.TIME_NS, (r, n) -> r.startTs())
            .hiddenKey("CONTAINER_ID", Unit.TEXT, (r, n) -> r.containerId())
            .drill("threads", (s, row) -> s.process((String) row.apply("CONTAINER_ID"), (Long) row.apply("PID")))
            .drill("files", (s, row) -> s.process((String) row.apply("CONTAINER_ID"), (Long) row.apply("PID")))
            .drill("connections", (s, row) -> s.process((String) row.apply("CONTAINER_ID"), (Long) row.apply("PID")))
            .drill("syscalls", (s, row) -> s.process((String) row.apply("CONTAINER_ID"), (Long) row.apply("PID")))
            .sortBy("CPU");

    public static final View<Rows.ThreadRow> THREADS = View.of("threads", "Threads",
                    "CPU of every thread (from sched_switch), with its process",
                    MetricsStore::threads, Rows.ThreadRow::pid, Rows.ThreadRow::ts)
            .key("TID", Unit.COUNT, (r, n) -> r.tid())
            .key("PID", Unit.COUNT, (r, n) -> r.pid())
            .sum("CPU", Unit.CPU_NS, (r, n) -> r.cpuNs())
            .info("CONTAINER", Unit.TEXT, (r, n) -> n.containerName(r.containerId()))
            .info("Command", Unit.TEXT, (r, n) -> n.process(r.containerId(), r.pid()).comm())
            .hiddenKey("CONTAINER_ID", Unit.TEXT, (r, n) -> r.containerId())
            .sortBy("CPU");

    public static final View<Rows.FileRow> FILES = View.of("files", "Files",
                    "bytes, operations, opens and failed opens per file, over every process that used it",
                    MetricsStore::files, Rows.FileRow::pid, Rows.FileRow::ts)
            .sum("BYTES IN", Unit.BYTES, (r, n) -> r.bytesIn())
            .sum("BYTES OUT", Unit.BYTES, (r, n) -> r.bytesOut())
            .sum("BYTES", Unit.BYTES, (r, n) -> r.bytesIn() + r.bytesOut())
            .sum("OPS IN", Unit.COUNT, (r, n) -> r.opsIn())
            .sum("OPS OUT", Unit.COUNT, (r, n) -> r.opsOut())
            .sum("OPENS", Unit.COUNT, (r, n) -> r.opens())
            .sum("ERRORS", Unit.COUNT, (r, n) -> r.openErrors())
            .key("FILENAME", Unit.TEXT, (r, n) -> r.file())
            .sortBy("BYTES");

    /** csysdig's Directories: the files view keyed by each file's directory. */
    public static final View<Rows.FileRow> DIRECTORIES = View.of("directories", "Directories",
                    "bytes and operations per directory, over the files in it",
                    MetricsStore::files, Rows.FileRow::pid, Rows.FileRow::ts)
            .sum("BYTES IN", Unit.BYTES, (r, n) -> r.bytesIn())
            .sum("BYTES OUT", Unit.BYTES, (r, n) -> r.bytesOut())
            .sum("BYTES", Unit.BYTES, (r, n) -> r.bytesIn() + r.bytesOut())
            .sum("OPS IN", Unit.COUNT, (r, n) -> r.opsIn())
            .sum("OPS OUT", Unit.COUNT, (r, n) -> r.opsOut())
            .sum("OPENS", Unit.COUNT, (r, n) -> r.opens())
            .sum("ERRORS", Unit.COUNT, (r, n) -> r.openErrors())
            .key("DIRECTORY", Unit.TEXT, (r, n) -> directory(r.file()))
            .sortBy("BYTES");

    /** The directory part of a file name as libsinsp gives it ("/" for a file at the root). */
    static String directory(String file) {
        int slash = file.lastIndexOf('/');
        return slash <= 0 ? (slash == 0 ? "/" : ".") : file.substring(0, slash);
    }

    public static final View<Rows.ProcessRow> PAGE_FAULTS = View.of("page_faults", "Page faults",
                    "minor and major page faults per process (all of them with --page-faults, else as the kernel reports)",
                    MetricsStore::processSeries, Rows.ProcessRow::pid, Rows.ProcessRow::ts)
            .sum("MINOR", Unit.COUNT, (r, n) -> r.minorFaults())
            .sum("MAJOR", Unit.COUNT, (r, n) -> r.majorFaults())
            .sum("TOTAL", Unit.COUNT, (r, n) -> r.minorFaults() + r.majorFaults())
            .key("PID", Unit.COUNT, (r, n) -> r.pid())
            .info("CONTAINER", Unit.TEXT, (r, n) -> n.containerName(r.containerId()))
            .info("Command", Unit.TEXT, (r, n) -> command(n.process(r.containerId(), r.pid(), r.startTs())))
            .hiddenKey("START", Unit.TIME_NS, (r, n) -> r.startTs())
            .hiddenKey("CONTAINER_ID", Unit.TEXT, (r, n) -> r.containerId())
            .sortBy("TOTAL");

    public static final View<Rows.ConnectionRow> CONNECTIONS = View.of("connections", "Connections",
                    "bytes per connection (client:port->server:port) and process",
                    MetricsStore::connections, Rows.ConnectionRow::pid, Rows.ConnectionRow::ts)
            .key("PROTO", Unit.TEXT, (r, n) -> r.l4())
            .key("CONNECTION", Unit.TEXT, (r, n) -> r.tuple())
            .sum("BYTES IN", Unit.BYTES, (r, n) -> r.bytesIn())
            .sum("BYTES OUT", Unit.BYTES, (r, n) -> r.bytesOut())
            .sum("BYTES", Unit.BYTES, (r, n) -> r.bytesIn() + r.bytesOut())
            .key("PID", Unit.COUNT, (r, n) -> r.pid())
            .info("Process", Unit.TEXT, (r, n) -> n.process(r.containerId(), r.pid()).comm())
            .info("CONTAINER", Unit.TEXT, (r, n) -> n.containerName(r.containerId()))
            .hiddenKey("CONTAINER_ID", Unit.TEXT, (r, n) -> r.containerId())
            .sortBy("BYTES");

    public static final View<Rows.PortRow> PORTS = View.of("ports", "Server ports",
                    "bytes per server port (the listening side of each connection)",
                    MetricsStore::ports, null, Rows.PortRow::ts)
            .key("PROTO", Unit.TEXT, (r, n) -> r.l4())
            .key("PORT", Unit.COUNT, (r, n) -> (long) r.port())
            .sum("BYTES IN", Unit.BYTES, (r, n) -> r.bytesIn())
            .sum("BYTES OUT", Unit.BYTES, (r, n) -> r.bytesOut())
            .sum("BYTES", Unit.BYTES, (r, n) -> r.bytesIn() + r.bytesOut())
            .sortBy("BYTES");

    public static final View<Rows.SyscallRow> SYSCALLS = View.of("syscalls", "System calls",
                    "calls, errors and latency (exit minus enter) per system call",
                    MetricsStore::syscalls, Rows.SyscallRow::pid, Rows.SyscallRow::ts)
            .key("SYSCALL", Unit.TEXT, (r, n) -> r.syscall())
            .sum("CALLS", Unit.COUNT, (r, n) -> r.calls())
            .sum("ERRORS", Unit.COUNT, (r, n) -> r.errors())
            .sum("TIME", Unit.NANOS, (r, n) -> r.totalLatencyNs())
            .max("MAX", Unit.NANOS, (r, n) -> r.maxLatencyNs())
            .sortBy("CALLS");

    public static final View<Rows.ErrnoRow> ERRORS = View.of("errors", "Errors",
                    "failed system calls by call and errno",
                    MetricsStore::errnos, Rows.ErrnoRow::pid, Rows.ErrnoRow::ts)
            .key("SYSCALL", Unit.TEXT, (r, n) -> r.syscall())
            .key("ERRNO", Unit.COUNT, (r, n) -> (long) r.errno())
            .sum("COUNT", Unit.COUNT, (r, n) -> r.count())
            .sortBy("COUNT");

    /** The processes of a container that started in [from, to): a process alive since before is no new command. */
    private static List<Rows.ProcessInfo> started(MetricsStore store, String host, String containerId, long fromTs, long toTs, int res) {
        long from = MetricsStore.secondsToNs(fromTs), to = MetricsStore.secondsToNs(toTs);
        return store.processes(host, containerId, fromTs, toTs).stream()
                .filter(p -> p.startTs() >= from && p.startTs() < to).toList();
    }

    /** csysdig's proc.exeline: the executable as run (argv[0]) and its arguments. */
    private static String exeline(Rows.ProcessInfo p) {
        String exe = p.exe() == null || p.exe().isEmpty() ? p.comm() : p.exe();
        return p.args() == null || p.args().isEmpty() ? exe : exe + " " + p.args();
    }

    /**
     * csysdig's Spy Users: the commands run in the window, newest first, with csysdig's TIME, USER,
     * SHELL (the parent's pid) and Command, and the parent's name. Read from the stored processes,
     * so it works on a store's history as on files and live; every process started, as csysdig's
     * filter (every execve) lists them, not only those under a shell as the spy_users chisel.
     */
    public static final View<Rows.ProcessInfo> SPY_USERS = View.of("spy_users", "Spy Users",
                    "the commands started in the window, newest first: time, user, parent, container",
                    Catalog::started, Rows.ProcessInfo::pid, null)
            .key("TIME", Unit.TIME_NS, (p, n) -> p.startTs())
            .info("USER", Unit.TEXT, (p, n) -> p.user())
            .key("PID", Unit.COUNT, (p, n) -> p.pid())
            .info("SHELL", Unit.COUNT, (p, n) -> p.ppid())
            .info("PARENT", Unit.TEXT, (p, n) -> n.parent(p).comm())
            .info("CONTAINER", Unit.TEXT, (p, n) -> n.containerName(p.containerId()))
            .info("Command", Unit.TEXT, (p, n) -> exeline(p))
            .hiddenKey("CONTAINER_ID", Unit.TEXT, (p, n) -> p.containerId())
            .sortBy("TIME");

    public static final List<View<?>> ALL = List.of(CONTAINERS, PROCESSES, THREADS, FILES, DIRECTORIES, CONNECTIONS, PORTS,
            SYSCALLS, ERRORS, PAGE_FAULTS, SPY_USERS);

    public static View<?> byId(String id) {
        for (View<?> v : ALL) if (v.id().equals(id)) return v;
        return null;
    }
}
