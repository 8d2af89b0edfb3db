package dev.scapstream.cli;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.telemetry.RunTelemetry;
import dev.scapstream.web.RunState;
import dev.scapstream.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.concurrent.Callable;

@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Serve the web UI over a store: every container at a glance, and per container its processes, "
                + "files, connections, ports and syscalls (until Ctrl-C).")
final class UiCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = WebOptions.ListenConverter.class,
            description = "address (default ${DEFAULT-VALUE}; another interface only when asked)",
            defaultValue = WebOptions.DEFAULT_LISTEN)
    InetSocketAddress listen;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // reading a store that is not there would create an empty one: say so instead
        if (store.cassandra == null && !Files.isRegularFile(store.dbPath())) {
            throw new Main.UserError("no store at " + store.dbPath() + " (replay or live writes one)");
        }
        var err = spec.commandLine().getErr();
        try (MetricsStore s = store.openForReading(); WebServer server = WebOptions.serve(listen, s, RunState.stored(), new RunTelemetry(), err)) {
            WebOptions.awaitStop(server, err);
        }
        return Main.EXIT_OK;
    }
}
