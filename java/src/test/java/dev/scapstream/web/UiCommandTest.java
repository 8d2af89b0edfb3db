package dev.scapstream.web;

import dev.scapstream.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** `scapstream ui` and --listen: bad input is one line and a non-zero exit. */
class UiCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(rc, out.toString(), err.toString());
    }

    @Test
    void badListenAddressesAreUsageErrors() {
        for (String bad : new String[] {"5000", "127.0.0.1:http", "127.0.0.1:70000", "no.such.host.invalid:5000"}) {
            Result r = run("ui", "--db", tmp.resolve("x.db").toString(), "--listen", bad);
            assertEquals(Main.EXIT_USAGE, r.code(), bad + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("--listen"), r.err());
        }
        Result r = run("replay", "--ui", "--listen", "nope", "x.scap");
        assertEquals(Main.EXIT_USAGE, r.code(), r.err());
    }

    @Test
    void aMissingStoreIsOneLineNotANewEmptyFile() {
        Path db = tmp.resolve("missing.db");
        Result r = run("ui", "--db", db.toString(), "--listen", "127.0.0.1:0");
        assertEquals(Main.EXIT_FAILURE, r.code());
        assertEquals("scapstream: no store at " + db + " (replay or live writes one)", r.err().strip());
        assertFalse(db.toFile().exists());
    }

    @Test
    void aBusyPortIsOneLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path db = tmp.resolve("s.db");
            dev.scapstream.store.sqlite.SqliteStore.open(db).close();
            Result r = run("ui", "--db", db.toString(), "--listen", "127.0.0.1:" + taken.getLocalPort());
            assertEquals(Main.EXIT_FAILURE, r.code());
            assertTrue(r.err().startsWith("scapstream: cannot listen on 127.0.0.1:" + taken.getLocalPort()), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
