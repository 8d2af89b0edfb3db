package dev.scapstream.chisel;

import dev.scapstream.view.Catalog;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.scapstream.chisel.SysdigTable.Units.BYTES;
import static dev.scapstream.chisel.SysdigTable.Units.NONE;
import static dev.scapstream.chisel.SysdigTable.Units.TIME;
import static dev.scapstream.chisel.SysdigTable.Units.TIME_PCT;

/** Every chisel, by sysdig's name and category; sysdig's titles, units and row counts. */
public final class Chisels {
    private Chisels() {}

    static final String CPU_NOTE = "# CPU% from sched_switch intervals (exact ns on CPU), not sysdig's procinfo ticks; % of one CPU over the window";
    static final String CALLS_NOTE = "# Calls are system calls (an enter and its exit); sysdig 0.29 counts their events, two per call";

    private static final ViewChisel.Key PROC = new ViewChisel.Key("NAME", "Process");
    private static final ViewChisel.Key PID = new ViewChisel.Key("PID", "PID");
    private static final ViewChisel.Key CONTAINER = new ViewChisel.Key("NAME", "container.name");
    private static final String IO_NET = "evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6)";
    private static final String IO_FILE = "evt.is_io=true and fd.type=file";
    private static final String IO_LINE = "------ %evt.io_dir %evt.rawres B %fd.name (%proc.name)\n%evt.arg.data";
    private static final String SLOWER_HEADER = "evt.datetime proc.name evt.type LATENCY(ns) fd.name";
    private static final String SLOWER_FORMAT = "%evt.datetime %proc.name %evt.type %evt.latency %fd.name";

    public static final List<Chisel> ALL = List.of(
            // CPU Usage
            new ViewChisel("topprocs_cpu", "CPU Usage", "Top processes by CPU usage", Catalog.PROCESSES, "CPU", "CPU%",
                    TIME_PCT, List.of(PROC, PID), null, true, 10, CPU_NOTE),
            new ViewChisel("topcontainers_cpu", "CPU Usage", "Top containers by CPU usage", Catalog.CONTAINERS, "CPU",
                    "CPU%", TIME_PCT, List.of(CONTAINER), null, true, 10, CPU_NOTE),
            // I/O
            new ViewChisel("topprocs_file", "I/O", "Top processes by R+W disk bytes", Catalog.PROCESSES, "FILE", "Bytes",
                    BYTES, List.of(PROC, PID), null, false, 10, null),
            new ViewChisel("topcontainers_file", "I/O", "Top containers by R+W disk bytes", Catalog.CONTAINERS, "FILE",
                    "Bytes", BYTES, List.of(CONTAINER), "ID", false, 10, null),
            new ViewChisel("topfiles_bytes", "I/O", "Top files by R+W bytes", Catalog.FILES, "BYTES", "Bytes", BYTES,
                    List.of(new ViewChisel.Key("FILENAME", "Filename")), null, false, 10, null),
            new FieldTableChisel("fdbytes_by", "I/O", "I/O bytes, aggregated by an arbitrary filter field",
                    List.of(new Chisel.Arg("FIELD", false, "the libsinsp field to key by, e.g. fd.name")),
                    "evt.is_io=true", List.of("{0}"), List.of("{0}"), "evt.rawres", "Bytes", BYTES, 30, false),
            new FieldTableChisel("fdcount_by", "I/O", "FD count, aggregated by an arbitrary filter field",
                    List.of(new Chisel.Arg("FIELD", false, "the libsinsp field to key by, e.g. proc.name")),
                    "fd.num>0", List.of("{0}"), List.of("{0}"), null, "FDs", NONE, 0, true),
            new IoBytesChisel("iobytes_file", "I/O", "Sum of file I/O bytes per second", IO_FILE),
            new StreamChisel("echo_fds", "I/O", "Print the data read and written by processes", List.of(),
                    "evt.is_io=true and evt.dir=< and evt.rawres>0", IO_LINE, true, null, false),
            new StreamChisel("spy_file", "I/O", "Echo any read/write made by any process to all files (or to FILE)",
                    List.of(new Chisel.Arg("FILE", true, "only reads and writes of this file")),
                    "{0}" + IO_FILE + " and evt.dir=< and evt.failed=false",
                    "%evt.time %proc.name(%proc.pid) %evt.io_dir %evt.rawres B %fd.name %evt.arg.data", true, null, false),
            // Net
            new ViewChisel("topconns", "Net", "Top network connections by total bytes",
                    Catalog.CONNECTIONS.keyedBy("conns", "PROTO", "CONNECTION"), "BYTES", "Bytes", BYTES,
                    List.of(new ViewChisel.Key("PROTO", "Proto"), new ViewChisel.Key("CONNECTION", "Conn")), null, false, 30, null),
            new ViewChisel("topports_server", "Net", "Top TCP/UDP server ports by R+W bytes",
                    Catalog.PORTS.keyedBy("server_ports", "PORT"), "BYTES", "Bytes", BYTES,
                    List.of(new ViewChisel.Key("PORT", "Srv Port")), null, false, 100, null),
            new ViewChisel("topprocs_net", "Net", "Top processes by network I/O", Catalog.PROCESSES, "NET", "Bytes", BYTES,
                    List.of(PROC, PID), null, false, 100, null),
            new ViewChisel("topcontainers_net", "Net", "Top containers by network I/O", Catalog.CONTAINERS, "NET", "Bytes",
                    BYTES, List.of(CONTAINER), "ID", false, 100, null),
            new IoBytesChisel("iobytes_net", "Net", "Show total network I/O bytes per second", IO_NET),
            new StreamChisel("spy_ip", "Net", "Show the data exchanged with the given IP address",
                    List.of(new Chisel.Arg("IP", false, "the remote or local IP address")),
                    IO_NET + " and evt.dir=< and evt.rawres>0 and fd.ip={0}", IO_LINE, true, null, false),
            new StreamChisel("spy_port", "Net", "Show the data exchanged using the given IP port number",
                    List.of(new Chisel.Arg("PORT", false, "the client or server port")),
                    IO_NET + " and evt.dir=< and evt.rawres>0 and fd.port={0}", IO_LINE, true, null, false),
            // Performance
            new ViewChisel("topscalls", "Performance", "Top system calls by number of calls", Catalog.SYSCALLS, "CALLS",
                    "# Calls", NONE, List.of(new ViewChisel.Key("SYSCALL", "Syscall")), null, false, 30, CALLS_NOTE),
            new ViewChisel("topscalls_time", "Performance", "Top system calls by time", Catalog.SYSCALLS, "TIME", "Time",
                    TIME, List.of(new ViewChisel.Key("SYSCALL", "Syscall")), null, false, 30, null),
            new StreamChisel("proc_exec_time", "Performance", "Show process execution time (at each process's exit)",
                    List.of(), "evt.type=procexit", "%proc.duration %proc.name %proc.args", false,
                    "proc.duration(ns) proc.name proc.args", false),
            new StreamChisel("fileslower", "Performance", "Trace file I/O slower than MS (not /dev files, as sysdig)",
                    List.of(Chisel.Arg.ms()), IO_FILE + " and not fd.name startswith /dev/ and (evt.dir=> or evt.latency>{0})", SLOWER_FORMAT, false, SLOWER_HEADER, true),
            new StreamChisel("netlower", "Performance", "Trace network I/O slower than MS", List.of(Chisel.Arg.ms()),
                    IO_NET + " and (evt.dir=> or evt.latency>{0})", SLOWER_FORMAT, false, SLOWER_HEADER, true),
            new StreamChisel("scallslower", "Performance", "Trace system calls slower than MS", List.of(Chisel.Arg.ms()),
                    "evt.dir=< and evt.type!=switch and evt.latency>{0}",
                    "%evt.datetime %proc.name %evt.latency %evt.type", false, "evt.datetime proc.name LATENCY(ns) evt.type", false),
            // Errors
            new ViewChisel("topprocs_errors", "Errors", "Top processes by number of errors", Catalog.PROCESSES, "ERRORS",
                    "#Errors", NONE, List.of(PROC, PID), null, false, 100, null),
            new ViewChisel("topcontainers_error", "Errors", "Top containers by number of errors", Catalog.CONTAINERS,
                    "ERRORS", "#Errors", NONE, List.of(CONTAINER), "ID", false, 100, null),
            new FieldTableChisel("topfiles_errors", "Errors", "Top files by number of errors", List.of(),
                    "fd.type=file and evt.failed=true", List.of("fd.name"), List.of("Filename"), null, "#Errors", NONE, 100, false),
            // System State
            new StateChisel("ps", "System State", "List the processes (libsinsp's thread table) at the first event or --at"),
            new StateChisel("lsof", "System State", "List the open file descriptors at the first event or --at"),
            new StateChisel("netstat", "System State", "List the network connections at the first event or --at"),
            new StateChisel("lscontainers", "System State", "List the running containers at the first event or --at"),
            // Security
            new SpyUsersChisel("spy_users", "Security",
                    "Display interactive user activity: commands run under a shell, by shell, time and user"));

    /** A chisel argument's value as its filter takes it, or an IllegalArgumentException naming the problem. */
    public static String check(Chisel.Arg arg, String value) {
        return Template.check(arg, value);
    }

    /** A filter or format with the chisel's checked arguments in its {0}, {1}, ... */
    public static String fill(String template, List<String> args) {
        return Template.fill(template, args);
    }

    public static Chisel byName(String name) {
        for (Chisel c : ALL) if (c.name().equals(name)) return c;
        return null;
    }

    /** `chisel --list`: by category, as `sysdig -cl`. */
    public static void list(PrintWriter out) {
        Map<String, StringBuilder> byCategory = new LinkedHashMap<>();
        for (Chisel c : ALL) {
            StringBuilder b = byCategory.computeIfAbsent(c.category(), k -> new StringBuilder());
            String args = String.join(" ", c.args().stream().map(a -> a.optional() ? "[" + a.name() + "]" : a.name()).toList());
            String name = args.isEmpty() ? c.name() : c.name() + " " + args;
            String where = c.runsOnStore() ? "live, files, store" : "live, files";
            b.append(String.format("%-24s %s (%s)%n", name, c.description(), where));
        }
        out.println("Chisels by category: name and arguments, what it shows, where it runs (live, capture files, a store)");
        for (var e : byCategory.entrySet()) {
            out.println();
            out.println("Category: " + e.getKey());
            out.println("-".repeat(10 + e.getKey().length()));
            out.print(e.getValue());
        }
    }
}
