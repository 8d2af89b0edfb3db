package dev.scapstream.cli;

import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * kill -9 in the middle of a replay into SQLite, then the same replay again: the file is intact,
 * holds only whole seconds, and ends up identical to the file of an uninterrupted run.
 */
class KillDuringReplayTest {
    @TempDir
    Path tmp;

    /** Runs the CLI in a child JVM (a SIGKILL must not take the test JVM with it). */
    private static int replayInChild(Path db, Path log) throws IOException, InterruptedException {
        return replayInChild(db, log, 0);
    }

    /** With killAtWrite > 0, the child kills itself as that store write begins (KillAtWriteMain). */
    private static int replayInChild(Path db, Path log, long killAtWrite) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
        if (killAtWrite > 0) {
            cmd.addAll(List.of(KillAtWriteMain.class.getName(), Long.toString(killAtWrite)));
        } else {
            cmd.add(Main.class.getName());
        }
        cmd.addAll(List.of("replay", "--db", db.toString(), "--host", "kill-test",
                TestData.fixtures().resolve("basic.scap.gz").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "replay finished");
        return p.exitValue();
    }

    /** Every row of every table, in a stable order. */
    private static List<String> dump(Path db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select name from sqlite_master where type='table' order by name")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            for (String t : tables) {
                int cols;
                try (ResultSet rs = s.executeQuery("select * from \"" + t + "\" limit 0")) {
                    cols = rs.getMetaData().getColumnCount();
                }
                StringBuilder order = new StringBuilder();
                for (int i = 1; i <= cols; i++) order.append(i == 1 ? "" : ",").append(i);
                try (ResultSet rs = s.executeQuery("select * from \"" + t + "\" order by " + order)) {
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(t);
                        for (int i = 1; i <= cols; i++) row.append('|').append(rs.getString(i));
                        out.add(row.toString());
                    }
                }
            }
        }
        return out;
    }

    private static String integrity(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("pragma integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long agentSeconds(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from agent_rows where res = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void killedReplayLeavesWholeSecondsAndAReplayEndsIdentical() throws Exception {
        Path reference = tmp.resolve("reference.db");
        assertEquals(0, replayInChild(reference, tmp.resolve("reference.log")), Files.readString(tmp.resolve("reference.log")));
        List<String> expected = dump(reference);
        long seconds = agentSeconds(reference);
        assertTrue(seconds >= 3, "the fixture spans several seconds: " + seconds);

        Path crashed = tmp.resolve("crashed.db");
        // SIGKILL as the third write starts: two seconds committed, the third in flight
        int code = replayInChild(crashed, tmp.resolve("crashed.log"), 3);
        assertEquals(128 + 9, code, "killed by SIGKILL: " + Files.readString(tmp.resolve("crashed.log")));
        assertEquals("ok", integrity(crashed));
        long survived = agentSeconds(crashed);
        assertTrue(survived >= 2 && survived < seconds, "whole seconds before the kill survive, later ones do not: " + survived);
        List<String> partial = dump(crashed);
        assertTrue(partial.size() < expected.size(), partial.size() + " rows after the kill, " + expected.size() + " in a full run");

        assertEquals(0, replayInChild(crashed, tmp.resolve("again.log")), Files.readString(tmp.resolve("again.log")));
        assertEquals("ok", integrity(crashed));
        List<String> after = dump(crashed);
        assertEquals(expected.size(), after.size(), "rows after the second replay");
        assertEquals(expected, after);
    }
}
