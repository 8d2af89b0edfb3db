package dev.scapstream.web;

import dev.scapstream.cli.Main;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.TestData;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** The bundled fixture (or another trace) replayed into a fresh SQLite file (host "h1"), served on an ephemeral port. */
final class ReplayedFixture implements AutoCloseable {
    static final String HOST = "h1";

    final SqliteStore store;
    final WebServer server;
    final String base;

    ReplayedFixture(Path dir) throws Exception {
        this(dir, fixture());
    }

    /** Any trace the same way (the demo's, for the page's layout over `./scapstream demo`'s data). */
    ReplayedFixture(Path dir, Path trace) throws Exception {
        Path db = dir.resolve(trace.getFileName() + ".ui.db");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(new String[] {"replay", "--db", db.toString(), "--host", HOST, trace.toString()},
                new PrintWriter(out), new PrintWriter(err));
        if (rc != 0) throw new IllegalStateException("replay failed: " + err);
        store = SqliteStore.open(db);
        server = WebServer.start(new InetSocketAddress("127.0.0.1", 0), store, RunState.stored());
        base = server.url().toString();
    }

    static Path fixture() {
        return TestData.fixtures().resolve("basic.scap.gz");
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
