package dev.scapstream.cli;

import dev.scapstream.capture.CaptureException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point: `scapstream <command>`. Errors are one line on stderr and a non-zero exit. */
@Command(name = "scapstream", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Per-second container and process metrics from kernel events (falcosecurity libs 0.20.0).",
        subcommands = {InspectCommand.class, RecordCommand.class, ReplayCommand.class, LiveCommand.class,
                BenchReadCommand.class, BenchReplayCommand.class, UiCommand.class, EventsCommand.class,
                BenchEventsCommand.class, ChiselCommand.class, TopCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try --help)");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; used by main and by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, CommandLine.defaultFactory());
    }

    /** As {@link #run(String[], PrintWriter, PrintWriter)}, the commands made by factory (tests give `events` a stream). */
    static int run(String[] args, PrintWriter out, PrintWriter err, CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(new Main(), factory);
        cl.setOverwrittenOptionsAllowed(true); // a repeated flag: the last value counts (the image's entrypoint relies on it)
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("scapstream: " + oneLine(ex.getMessage()));
            err.flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof CaptureException || ex instanceof UserError || ex instanceof dev.scapstream.store.StoreException) {
                err.println("scapstream: " + oneLine(ex.getMessage()));
            } else {
                err.println("scapstream: internal error: " + oneLine(String.valueOf(ex)));
            }
            err.flush();
            return EXIT_FAILURE;
        });
        int rc = cl.execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    static String oneLine(String s) {
        if (s == null) return "unknown error";
        return s.replace('\r', ' ').replace('\n', ' ').trim();
    }

    /** A problem with what the user asked for; printed as one line. */
    public static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UserError(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"scapstream " + (v == null ? "dev" : v) + " (falcosecurity libs 0.20.0)"};
        }
    }
}
