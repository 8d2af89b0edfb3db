package dev.scapstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.scapstream.inspect.CaptureSummary;
import dev.scapstream.inspect.Inspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Summarise a capture: events and rate, event types, containers (like lscontainers), "
                + "processes (like ps), drops and time span.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "a .scap or .scap.gz capture")
    Path file;

    @Parameters(index = "1..*", paramLabel = "FILTER", description = "sysdig filter, e.g. container.id!=host")
    List<String> filter;

    @Option(names = "--json", description = "print the summary as JSON")
    boolean json;

    @Option(names = "--top", description = "event types to list (default ${DEFAULT-VALUE})", defaultValue = "25")
    int top;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CaptureSummary s = Inspector.inspectFile(file, Filters.join(filter));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s));
        } else {
            printText(s, out);
        }
        out.flush();
        if (s.error() != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("scapstream: " + Main.oneLine(s.error()) + " (summary above covers the events before it)");
            err.flush();
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    private void printText(CaptureSummary s, PrintWriter out) {
        out.printf("capture   %s (falcosecurity libs %s)%n", s.source(), s.libsVersion());
        out.printf("events    %d in %.3f s (%.0f events/s)%n", s.events(), s.spanSeconds(), s.eventsPerSecond());
        if (s.events() > 0) {
            out.printf("span      %s .. %s%n", Instant.ofEpochSecond(0, s.firstTs()), Instant.ofEpochSecond(0, s.lastTs()));
        }
        long drops = s.drops().getOrDefault("n_drops", 0L);
        out.printf("drops     %d%n", drops);
        out.println();
        out.println("EVENT TYPE                   COUNT");
        int n = 0;
        for (Map.Entry<String, Long> e : s.eventTypes().entrySet()) {
            if (n++ >= top) {
                out.printf("... %d more types%n", s.eventTypes().size() - top);
                break;
            }
            out.printf("%-24s %10d%n", Text.clip(e.getKey(), 24), e.getValue());
        }
        out.println();
        out.println("CONTAINER     NAME                 IMAGE                          RUNTIME     PROCS");
        for (CaptureSummary.Container c : s.containers()) {
            out.printf("%-13s %-20s %-30s %-11s %5d%n", Text.clip(c.id(), 13), Text.clip(c.name(), 20),
                    Text.clip(c.image(), 30), Text.clip(c.runtime(), 11), c.processes());
        }
        out.println();
        out.println("PID      PPID     CONTAINER     COMM             START                           EXIT          CMDLINE");
        for (CaptureSummary.Process p : s.processes()) {
            String start = p.startTs() > 0 ? Instant.ofEpochSecond(0, p.startTs()).toString() : "-";
            String exit = p.exitTs() > 0 ? String.format("+%.3fs", (p.exitTs() - Math.max(p.startTs(), s.firstTs())) / 1e9) : "-";
            String cmd = p.args().isEmpty() ? p.exe() : p.exe() + " " + p.args();
            out.printf("%-8d %-8d %-13s %-16s %-31s %-13s %s%n", p.pid(), p.ppid(), Text.clip(p.container(), 13),
                    Text.clip(Text.printable(p.comm()), 16), start, exit, Text.clip(Text.printable(cmd), 120));
        }
    }
}
