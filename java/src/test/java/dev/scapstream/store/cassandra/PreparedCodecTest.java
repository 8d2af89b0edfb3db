package dev.scapstream.store.cassandra;

import dev.scapstream.store.RowKind;
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
        b.rows(RowKind.CPU).add(new Rows.CpuRow("h", 3, 1_795_000_000L, 1, 987_654_321L));
        b.rows(RowKind.CONTAINER_INFO).add(new Rows.ContainerInfo("h", "3f2a1b4c5d6e", "web", "nginx", "docker", 1, 2));
        if (withRecordings) {
            b.rows(RowKind.RECORDING).add(new Rows.Recording("h", "/fr/a.scap", 1_795_000_000_123L, 1_795_000_001_456L, 1 << 20, false));
            b.rows(RowKind.RECORDING).add(new Rows.Recording("h", "/fr/\u00e9t\u00e9.scap", 5, 6, 0, true));
        }
        return b;
    }

    private static void assertSameBatch(MetricsBatch a, MetricsBatch b) {
        assertEquals(a.rows(RowKind.CPU), b.rows(RowKind.CPU));
        assertEquals(a.rows(RowKind.CONTAINER_INFO), b.rows(RowKind.CONTAINER_INFO));
        assertEquals(a.rows(RowKind.RECORDING), b.rows(RowKind.RECORDING));
        assertEquals(a.rowCount(), b.rowCount());
    }

    @Test
    void aSecondWithRecordingsRoundTrips() throws IOException {
        Prepared p = new Prepared(1_700_000_000_000_001L, batch(true), List.of());
        Prepared back = PreparedCodec.decode(PreparedCodec.encode(p));
        assertEquals(p.timestampMicros(), back.timestampMicros());
        assertSameBatch(p.batch(), back.batch());
        assertEquals(2, back.batch().rows(RowKind.RECORDING).size());
    }

    /** A version 2 file is a version 3 one without the recordings count before the process days. */
    @Test
    void aVersionTwoFileFromAnOlderAgentDecodes() throws IOException {
        Prepared p = new Prepared(42, batch(false), List.of());
        byte[] v3 = PreparedCodec.encode(p); // no file rows: the same bytes as version 3 but the magic
        String head = new String(v3, 0, 19, StandardCharsets.US_ASCII);
        assertEquals("scapstream-spool 4\n", head);
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
        assertTrue(back.batch().rows(RowKind.RECORDING).isEmpty());
        // the version is under the checksum: a file whose magic was altered is refused
        byte[] wrong = Arrays.copyOf(v2, v2.length);
        wrong[17] = '3';
        assertThrows(IOException.class, () -> PreparedCodec.decode(wrong));
    }

    /** A version 3 file's file rows end at opsOut: they decode with no opens and no open errors. */
    @Test
    void aVersionThreeFileRowDecodesWithoutOpens() throws IOException {
        long mark = 0x5ca9_57ea_0000_0003L; // opsOut, found again in the bytes
        MetricsBatch b = batch(true);
        b.rows(RowKind.FILE).add(new Rows.FileRow("h", "host", 7, "/etc/passwd", 1_795_000_000L, 1, 10, 20, 1, mark, 4, 2));
        byte[] v4 = PreparedCodec.encode(new Prepared(42, b, List.of()));
        int at = -1;
        for (int i = 0; i + 8 <= v4.length && at < 0; i++) {
            long v = 0;
            for (int j = 0; j < 8; j++) v = (v << 8) | (v4[i + j] & 0xff);
            if (v == mark) at = i + 8;
        }
        assertTrue(at > 0, "opsOut is in the encoding");
        byte[] v3 = new byte[v4.length - 16];
        System.arraycopy(v4, 0, v3, 0, at);
        System.arraycopy(v4, at + 16, v3, at, v4.length - at - 16);
        v3[17] = '3';
        CRC32 crc = new CRC32();
        crc.update(v3, 0, v3.length - 8);
        long c = crc.getValue();
        for (int i = 0; i < 8; i++) v3[v3.length - 1 - i] = (byte) (c >>> (8 * i));
        MetricsBatch back = PreparedCodec.decode(v3).batch();
        assertEquals(List.of(new Rows.FileRow("h", "host", 7, "/etc/passwd", 1_795_000_000L, 1, 10, 20, 1, mark, 0, 0)),
                back.rows(RowKind.FILE));
        assertEquals(b.rows(RowKind.RECORDING), back.rows(RowKind.RECORDING));
    }
}
