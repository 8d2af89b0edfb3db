package dev.scapstream.aggregate;

import dev.scapstream.testsupport.Aggregation;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Events of threads missing from libsinsp's thread table (the capture started mid-flight) are filed
 * under their tid as the pid, as sysdig does. single_ipv6_conn.scap, from the libs' own tests: its
 * two ends of one connection are such threads; sysdig 0.29.3's topprocs_net gives 15 B under 25886
 * and 15 B under 25888 (the read and the write of the TCP payload).
 */
class UnknownThreadsTest {
    @Test
    void bytesOfUnknownThreadsGoToTheirTidAsPid() {
        Path trace = TestData.requireSharedTraces().resolve("upstream/single_ipv6_conn.scap");
        if (!Files.exists(trace)) org.junit.jupiter.api.Assumptions.abort(trace + " is absent");
        Aggregation a = Aggregation.of(trace);
        Map<Long, long[]> net = new TreeMap<>();
        for (RunSummary.Process p : a.summary.processes()) {
            if (p.netInBytes() + p.netOutBytes() > 0) net.put(p.pid(), new long[] {p.netInBytes(), p.netOutBytes()});
        }
        assertEquals(java.util.Set.of(25886L, 25888L), net.keySet(), "the pids sysdig names");
        assertArrayEquals(new long[] {15, 0}, net.get(25886L), "25886 read the 15 B");
        assertArrayEquals(new long[] {0, 15}, net.get(25888L), "25888 wrote the 15 B");
        assertTrue(a.summary.processes().stream().noneMatch(p -> p.pid() <= 0), "no process filed under pid -1");
    }
}
