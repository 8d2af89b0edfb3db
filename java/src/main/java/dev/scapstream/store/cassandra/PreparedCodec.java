package dev.scapstream.store.cassandra;

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
    private static final byte[] MAGIC = "scapstream-spool 3\n".getBytes(StandardCharsets.US_ASCII);
    /** Version 2 had no recordings list: its files, spooled by an older agent, still decode. */
    private static final byte[] MAGIC_2 = "scapstream-spool 2\n".getBytes(StandardCharsets.US_ASCII);

    private PreparedCodec() {}

    private record ListOf<R extends Record>(Class<R> type, Function<MetricsBatch, List<R>> list) {}

    private static final List<ListOf<?>> LISTS = List.of(
            new ListOf<>(Rows.ContainerRow.class, b -> b.containers),
            new ListOf<>(Rows.ProcessRow.class, b -> b.processes),
            new ListOf<>(Rows.FileRow.class, b -> b.files),
            new ListOf<>(Rows.ConnectionRow.class, b -> b.connections),
            new ListOf<>(Rows.PortRow.class, b -> b.ports),
            new ListOf<>(Rows.SyscallRow.class, b -> b.syscalls),
            new ListOf<>(Rows.ErrnoRow.class, b -> b.errnos),
            new ListOf<>(Rows.ThreadRow.class, b -> b.threads),
            new ListOf<>(Rows.CpuRow.class, b -> b.cpus),
            new ListOf<>(Rows.AgentRow.class, b -> b.agent),
            new ListOf<>(Rows.ProcessInfo.class, b -> b.processInfos),
            new ListOf<>(Rows.ContainerInfo.class, b -> b.containerInfos),
            new ListOf<>(Rows.Recording.class, b -> b.recordings)); // new in version 3: last

    static byte[] encode(Prepared p) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeLong(p.timestampMicros());
            for (ListOf<?> l : LISTS) {
                List<? extends Record> rows = l.list.apply(p.batch());
                out.writeInt(rows.size());
                for (Record r : rows) writeRecord(out, r);
            }
            out.writeInt(p.processDays().size());
            for (Prepared.ProcessDay d : p.processDays()) {
                writeRecord(out, d.info());
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
        if (data.length < MAGIC.length + 16) throw new IOException("too short for a spooled second");
        boolean v2 = startsWith(data, MAGIC_2);
        if (!v2 && !startsWith(data, MAGIC)) throw new IOException("not a scapstream spool file");
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length - 8);
        long stored = 0;
        for (int i = data.length - 8; i < data.length; i++) stored = (stored << 8) | (data[i] & 0xff);
        if (crc.getValue() != stored) throw new IOException("checksum mismatch (torn or altered file)");
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data, MAGIC.length,
                data.length - MAGIC.length - 8));
        long micros = in.readLong();
        MetricsBatch b = new MetricsBatch();
        for (ListOf<?> l : v2 ? LISTS.subList(0, LISTS.size() - 1) : LISTS) readList(in, l, b);
        int days = count(in);
        List<Prepared.ProcessDay> pd = new ArrayList<>(days);
        for (int i = 0; i < days; i++) {
            Rows.ProcessInfo info = readRecord(in, Rows.ProcessInfo.class);
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

    private static <R extends Record> void readList(DataInputStream in, ListOf<R> l, MetricsBatch b) throws IOException {
        int n = count(in);
        List<R> rows = l.list.apply(b);
        for (int i = 0; i < n; i++) rows.add(readRecord(in, l.type));
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 50_000_000) throw new IOException("bad row count " + n);
        return n;
    }

    /** A row type's accessors, component types and constructor, looked up once per type. */
    private record Shape(MethodHandle[] accessors, Class<?>[] types, Constructor<?> constructor) {}

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        @SuppressWarnings("unchecked")
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] cs = type.getRecordComponents();
            MethodHandle[] accessors = RecordColumns.getters((Class<? extends Record>) type);
            Class<?>[] types = Arrays.stream(cs).map(RecordComponent::getType).toArray(Class<?>[]::new);
            return new Shape(accessors, types,
                    RecordColumns.canonicalConstructor((Class<? extends Record>) type, types));
        }
    };

    private static void writeRecord(DataOutputStream out, Record r) throws IOException {
        Shape s = SHAPES.get(r.getClass());
        for (int i = 0; i < s.types.length; i++) {
            Object v = RecordColumns.get(s.accessors[i], r);
            Class<?> t = s.types[i];
            if (t == long.class) out.writeLong((Long) v);
            else if (t == int.class) out.writeInt((Integer) v);
            else if (t == boolean.class) out.writeBoolean((Boolean) v);
            else if (t.isEnum()) writeString(out, v == null ? null : ((Enum<?>) v).name());
            else writeString(out, (String) v);
        }
    }

    private static <R extends Record> R readRecord(DataInputStream in, Class<R> type) throws IOException {
        Shape s = SHAPES.get(type);
        Object[] args = new Object[s.types.length];
        for (int i = 0; i < args.length; i++) {
            Class<?> t = s.types[i];
            if (t == long.class) args[i] = in.readLong();
            else if (t == int.class) args[i] = in.readInt();
            else if (t == boolean.class) args[i] = in.readBoolean();
            else if (t.isEnum()) args[i] = enumValue(t, readString(in));
            else args[i] = readString(in);
        }
        try {
            return type.cast(s.constructor.newInstance(args));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
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
