package dev.scapstream.store.cassandra;

import dev.scapstream.store.RowKind;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.RecordColumns;
import dev.scapstream.store.Rows;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * The spool's file format for one {@link Prepared} second: a magic line, the write timestamp, each
 * row list (count, then each record's components in order: strings as length + UTF-8, -1 for
 * null; enums by name), the process days, and a CRC32 of all that, so a torn or foreign file is
 * refused, never half-written to Cassandra.
 */
final class PreparedCodec {
    /** The spool format follows the schema version: a file of version v holds the kinds and fields v had. */
    private static final int VERSION = RowKind.all().stream().mapToInt(RowKind::version).max().orElseThrow();
    private static final int OLDEST = 2;

    private PreparedCodec() {}

    private static byte[] magic(int version) {
        return ("scapstream-spool " + version + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] encode(Prepared p) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(magic(VERSION));
            out.writeLong(p.timestampMicros());
            for (RowKind<?> k : RowKind.all()) {
                List<? extends Record> rows = k.of(p.batch());
                out.writeInt(rows.size());
                for (Record r : rows) writeRecord(out, k, r);
            }
            out.writeInt(p.processDays().size());
            for (Prepared.ProcessDay d : p.processDays()) {
                writeRecord(out, RowKind.PROCESS_INFO, d.info());
                out.writeLong(d.day());
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory: cannot happen
        }
    }

    /** Decodes a spool file's bytes; IOException names what is wrong with them. */
    static Prepared decode(byte[] data) throws IOException {
        int version = 0;
        for (int v = OLDEST; v <= VERSION && version == 0; v++) {
            if (data.length >= magic(v).length + 16 && startsWith(data, magic(v))) version = v;
        }
        if (version == 0) {
            throw new IOException(data.length < magic(VERSION).length + 16 ? "too short for a spooled second"
                    : "not a scapstream spool file");
        }
        int headerLength = magic(version).length;
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length - 8);
        long stored = 0;
        for (int i = data.length - 8; i < data.length; i++) stored = (stored << 8) | (data[i] & 0xff);
        if (crc.getValue() != stored) throw new IOException("checksum mismatch (torn or altered file)");
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data, headerLength,
                data.length - headerLength - 8));
        long micros = in.readLong();
        MetricsBatch b = new MetricsBatch();
        for (RowKind<?> k : RowKind.all()) {
            if (k.since <= version) readList(in, k, version, b);
        }
        int days = count(in);
        List<Prepared.ProcessDay> pd = new ArrayList<>(days);
        for (int i = 0; i < days; i++) {
            Rows.ProcessInfo info = readRecord(in, RowKind.PROCESS_INFO, version);
            pd.add(new Prepared.ProcessDay(info, in.readLong()));
        }
        return new Prepared(micros, b, pd);
    }

    private static boolean startsWith(byte[] data, byte[] magic) {
        for (int i = 0; i < magic.length; i++) {
            if (data[i] != magic[i]) return false;
        }
        return true;
    }

    private static <R extends Record> void readList(DataInputStream in, RowKind<R> k, int version, MetricsBatch b)
            throws IOException {
        int n = count(in);
        List<R> rows = k.of(b);
        for (int i = 0; i < n; i++) rows.add(readRecord(in, k, version));
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 50_000_000) throw new IOException("bad row count " + n);
        return n;
    }

    private static void writeRecord(DataOutputStream out, RowKind<?> k, Record r) throws IOException {
        for (RowKind.Field f : k.fields()) {
            Object v = f.get(r);
            Class<?> t = f.type;
            if (t == long.class) out.writeLong((Long) v);
            else if (t == int.class) out.writeInt((Integer) v);
            else if (t == boolean.class) out.writeBoolean((Boolean) v);
            else if (t.isEnum()) writeString(out, v == null ? null : ((Enum<?>) v).name());
            else writeString(out, (String) v);
        }
    }

    /** A row as a file of that version wrote it: fields added later are zero. */
    private static <R extends Record> R readRecord(DataInputStream in, RowKind<R> k, int version) throws IOException {
        List<RowKind.Field> fs = k.fields();
        Object[] args = new Object[fs.size()];
        for (int i = 0; i < args.length; i++) {
            RowKind.Field f = fs.get(i);
            Class<?> t = f.type;
            boolean absent = f.since > version;
            if (t == long.class) args[i] = absent ? 0L : in.readLong();
            else if (t == int.class) args[i] = absent ? 0 : in.readInt();
            else if (t == boolean.class) args[i] = absent ? false : in.readBoolean();
            else if (t.isEnum()) args[i] = absent ? null : enumValue(t, readString(in));
            else args[i] = absent ? null : readString(in);
        }
        return k.make(args);
    }

    private static Object enumValue(Class<?> t, String name) throws IOException {
        if (name == null) return null;
        Object v = RecordColumns.enumByName(t, name);
        if (v == null) throw new IOException("unknown " + t.getSimpleName() + " '" + name + "'");
        return v;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) return null;
        if (n < 0 || n > in.available()) throw new IOException("bad string length " + n);
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
