package dev.scapstream.store.cassandra;

import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.Rows;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spool's file format: the recordings index rides along, and an older agent's files still read. */
class PreparedCodecTest {
    private static MetricsBatch batch(boolean withRecordings) {
        MetricsBatch b = new MetricsBatch();
        b.cpus.add(new Rows.CpuRow("h", 3, 1_795_000_000L, 1, 987_654_321L));
        b.containerInfos.add(new Rows.ContainerInfo("h", "3f2a1b4c5d6e", "web", "nginx", "docker", 1, 2));
        if (withRecordings) {
            b.recordings.add(new Rows.Recording("h", "/fr/a.scap", 1_795_000_000_123L, 1_795_000_001_456L, 1 << 20, false));
            b.recordings.add(new Rows.Recording("h", "/fr/\u00e9t\u00e9.scap", 5, 6, 0, true));
        }
        return b;
    }

    private static void assertSameBatch(MetricsBatch a, MetricsBatch b) {
        assertEquals(a.cpus, b.cpus);
        assertEquals(a.containerInfos, b.containerInfos);
        assertEquals(a.recordings, b.recordings);
        assertEquals(a.rowCount(), b.rowCount());
    }

    @Test
    void aSecondWithRecordingsRoundTrips() throws IOException {
        Prepared p = new Prepared(1_700_000_000_000_001L, batch(true), List.of());
        Prepared back = PreparedCodec.decode(PreparedCodec.encode(p));
        assertEquals(p.timestampMicros(), back.timestampMicros());
        assertSameBatch(p.batch(), back.batch());
        assertEquals(2, back.batch().recordings.size());
    }

    /** A version 2 file is a version 3 one without the recordings count before the process days. */
    @Test
    void aVersionTwoFileFromAnOlderAgentDecodes() throws IOException {
        Prepared p = new Prepared(42, batch(false), List.of());
        byte[] v3 = PreparedCodec.encode(p);
        String head = new String(v3, 0, 19, StandardCharsets.US_ASCII);
        assertEquals("scapstream-spool 3\n", head);
        // ... [recordings count][process days count][crc] at the end, both counts 0 here
        byte[] v2 = new byte[v3.length - 4];
        System.arraycopy(v3, 0, v2, 0, v3.length - 16);
        System.arraycopy(v3, v3.length - 12, v2, v3.length - 16, 4);
        v2[17] = '2';
        CRC32 crc = new CRC32();
        crc.update(v2, 0, v2.length - 8);
        long c = crc.getValue();
        for (int i = 0; i < 8; i++) v2[v2.length - 1 - i] = (byte) (c >>> (8 * i));
        Prepared back = PreparedCodec.decode(v2);
        assertSameBatch(p.batch(), back.batch());
        assertTrue(back.batch().recordings.isEmpty());
        // the version is under the checksum: a file whose magic was altered is refused
        byte[] wrong = Arrays.copyOf(v2, v2.length);
        wrong[17] = '3';
        assertThrows(IOException.class, () -> PreparedCodec.decode(wrong));
    }
}
