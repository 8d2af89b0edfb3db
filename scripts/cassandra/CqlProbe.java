import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A tiny CQL client for scripts/cassandra/node.sh (there is no cqlsh here): native protocol v4 over a
 * plain socket, STARTUP then one QUERY at consistency ONE. Prints the rows of a RESULT, one a line,
 * columns tab-separated (text, numbers, inet, uuid, booleans, collections; other types in hex).
 *
 * <pre>
 *   java CqlProbe.java HOST PORT [QUERY] [--rows N] [--wait SECONDS] [--pid PID]
 * </pre>
 * QUERY defaults to {@code SELECT release_version FROM system.local}. With --rows a result of fewer
 * than N rows counts as a failure (e.g. the peers a node should see). With --wait it retries (every
 * 250 ms, one JVM) until the query succeeds or SECONDS pass; with --pid it gives up as soon as that
 * process is gone. Exit codes: 0 RESULT, 1 ERROR frame from the server or too few rows, 2 cannot
 * connect / no answer, 3 the --pid process died, 4 --wait timed out, 64 usage.
 */
public final class CqlProbe {
    private static final int VERSION = 4;
    private static final int OP_ERROR = 0x00, OP_STARTUP = 0x01, OP_READY = 0x02, OP_AUTHENTICATE = 0x03,
            OP_QUERY = 0x07, OP_RESULT = 0x08;

    /** An ERROR frame: the server answered, but no. */
    static final class ServerError extends Exception {
        ServerError(String m) { super(m); }
    }

    public static void main(String[] args) {
        List<String> pos = new ArrayList<>();
        double wait = -1;
        long pid = -1;
        int minRows = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--wait": wait = Double.parseDouble(args[++i]); break;
                    case "--pid": pid = Long.parseLong(args[++i]); break;
                    case "--rows": minRows = Integer.parseInt(args[++i]); break;
                    default: pos.add(args[i]);
                }
            }
        } catch (RuntimeException e) {
            pos.clear();
        }
        if (pos.size() < 2 || pos.size() > 3) {
            System.err.println("usage: java CqlProbe.java HOST PORT [QUERY] [--rows N] [--wait SECONDS] [--pid PID]");
            System.exit(64);
        }
        String host = pos.get(0);
        int port = Integer.parseInt(pos.get(1));
        String query = pos.size() > 2 ? pos.get(2) : "SELECT release_version FROM system.local";

        long deadline = wait < 0 ? 0 : System.nanoTime() + (long) (wait * 1e9);
        String last = "";
        while (true) {
            try {
                List<String> rows = run(host, port, query, wait < 0 ? 10_000 : 5_000);
                if (rows.size() < minRows) throw new ServerError(rows.size() + " rows, wanted " + minRows);
                StringBuilder out = new StringBuilder();
                for (String r : rows) out.append(r).append('\n');
                System.out.print(out);
                System.out.flush();
                System.exit(0);
            } catch (ServerError e) {
                // a node still starting answers "not ready" errors (e.g. while joining); keep waiting
                last = e.getMessage();
                if (wait < 0) {
                    System.err.println("cql error: " + last);
                    System.exit(1);
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                if (wait < 0) {
                    System.err.println("cql: " + host + ":" + port + ": " + last);
                    System.exit(2);
                }
            }
            if (pid > 0 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                System.err.println("cql: process " + pid + " is gone (last: " + last + ")");
                System.exit(3);
            }
            if (System.nanoTime() > deadline) {
                System.err.println("cql: no answer from " + host + ":" + port + " in " + wait + " s (last: " + last + ")");
                System.exit(4);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                System.exit(2);
            }
        }
    }

    static List<String> run(String host, int port, String query, int timeoutMs) throws IOException, ServerError {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), Math.min(timeoutMs, 2_000));
            s.setSoTimeout(timeoutMs);
            s.setTcpNoDelay(true);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());

            ByteBuffer startup = ByteBuffer.allocate(64);
            startup.putShort((short) 1);
            putString(startup, "CQL_VERSION");
            putString(startup, "3.0.0");
            send(out, 0, OP_STARTUP, startup);
            Frame f = receive(in);
            if (f.opcode == OP_AUTHENTICATE) throw new ServerError("the server asks for authentication");
            if (f.opcode == OP_ERROR) throw error(f.body);
            if (f.opcode != OP_READY) throw new IOException("unexpected opcode " + f.opcode + " after STARTUP");

            byte[] q = query.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(4 + q.length + 3);
            b.putInt(q.length).put(q);
            b.putShort((short) 0x0001); // consistency ONE
            b.put((byte) 0);            // no flags
            send(out, 1, OP_QUERY, b);
            f = receive(in);
            if (f.opcode == OP_ERROR) throw error(f.body);
            if (f.opcode != OP_RESULT) throw new IOException("unexpected opcode " + f.opcode + " after QUERY");
            return rows(f.body);
        }
    }

    record Frame(int opcode, ByteBuffer body) {}

    static void send(DataOutputStream out, int stream, int opcode, ByteBuffer body) throws IOException {
        body.flip();
        out.writeByte(VERSION);
        out.writeByte(0);
        out.writeShort(stream);
        out.writeByte(opcode);
        out.writeInt(body.remaining());
        out.write(body.array(), body.arrayOffset() + body.position(), body.remaining());
        out.flush();
    }

    static Frame receive(DataInputStream in) throws IOException {
        byte[] h = new byte[9];
        try {
            in.readFully(h);
        } catch (EOFException e) {
            throw new IOException("connection closed by the server");
        }
        ByteBuffer hb = ByteBuffer.wrap(h);
        int version = hb.get() & 0x7f;
        int flags = hb.get();
        hb.getShort();
        int opcode = hb.get() & 0xff;
        int len = hb.getInt();
        if (version != VERSION) throw new IOException("server answered protocol version " + version);
        if ((flags & 0x01) != 0) throw new IOException("compressed frame (not asked for)");
        if (len < 0 || len > (256 << 20)) throw new IOException("bad frame length " + len);
        byte[] body = new byte[len];
        in.readFully(body);
        ByteBuffer bb = ByteBuffer.wrap(body);
        // tracing id, warnings and custom payload precede the body when flagged
        if ((flags & 0x02) != 0) bb.position(bb.position() + 16);
        if ((flags & 0x08) != 0) {
            int n = bb.getShort();
            for (int i = 0; i < n; i++) System.err.println("cql warning: " + getString(bb));
        }
        if ((flags & 0x04) != 0) {
            int n = bb.getShort();
            for (int i = 0; i < n; i++) {
                getString(bb);
                getBytes(bb);
            }
        }
        return new Frame(opcode, bb);
    }

    static ServerError error(ByteBuffer b) {
        int code = b.getInt();
        return new ServerError(String.format("0x%04x %s", code, getString(b)));
    }

    static List<String> rows(ByteBuffer b) throws IOException {
        int kind = b.getInt();
        List<String> out = new ArrayList<>();
        switch (kind) {
            case 1: return out;                                     // Void
            case 3: out.add("keyspace " + getString(b)); return out; // Set_keyspace
            case 5: out.add("schema " + getString(b) + " " + getString(b) + " " + getString(b)); return out;
            case 2: break;                                          // Rows
            default: out.add("result kind " + kind); return out;
        }
        int flags = b.getInt();
        int cols = b.getInt();
        if ((flags & 0x0002) != 0) getBytes(b); // paging state
        List<Type> types = new ArrayList<>();
        if ((flags & 0x0004) == 0) {
            boolean global = (flags & 0x0001) != 0;
            if (global) {
                getString(b);
                getString(b);
            }
            for (int i = 0; i < cols; i++) {
                if (!global) {
                    getString(b);
                    getString(b);
                }
                getString(b);
                types.add(Type.read(b));
            }
        }
        int n = b.getInt();
        for (int r = 0; r < n; r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) line.append('\t');
                ByteBuffer v = getBytes(b);
                line.append(v == null ? "null" : types.isEmpty() ? hex(v) : types.get(c).format(v));
            }
            out.add(line.toString());
        }
        return out;
    }

    /** A column type ([option] of the protocol spec), enough to print values. */
    record Type(int id, List<Type> params) {
        static Type read(ByteBuffer b) {
            int id = b.getShort() & 0xffff;
            List<Type> p = new ArrayList<>();
            switch (id) {
                case 0x0000 -> getString(b);                       // custom: class name
                case 0x0020, 0x0022 -> p.add(read(b));              // list, set
                case 0x0021 -> { p.add(read(b)); p.add(read(b)); }  // map
                case 0x0030 -> {                                    // UDT
                    getString(b);
                    getString(b);
                    int n = b.getShort();
                    for (int i = 0; i < n; i++) {
                        getString(b);
                        p.add(read(b));
                    }
                }
                case 0x0031 -> {                                    // tuple
                    int n = b.getShort();
                    for (int i = 0; i < n; i++) p.add(read(b));
                }
                default -> { }
            }
            return new Type(id, p);
        }

        String format(ByteBuffer v) {
            try {
                switch (id) {
                    case 0x0001, 0x000D: return StandardCharsets.UTF_8.decode(v.duplicate()).toString();
                    case 0x0002, 0x0005, 0x000B: return Long.toString(v.getLong(v.position())); // bigint, counter, timestamp
                    case 0x0009: return Integer.toString(v.getInt(v.position()));
                    case 0x0013: return Short.toString(v.getShort(v.position()));
                    case 0x0014: return Byte.toString(v.get(v.position()));
                    case 0x0004: return v.get(v.position()) != 0 ? "true" : "false";
                    case 0x0007: return Double.toString(v.getDouble(v.position()));
                    case 0x0008: return Float.toString(v.getFloat(v.position()));
                    case 0x000C, 0x000F: return new UUID(v.getLong(v.position()), v.getLong(v.position() + 8)).toString();
                    case 0x0010: {
                        byte[] a = new byte[v.remaining()];
                        v.duplicate().get(a);
                        return InetAddress.getByAddress(a).getHostAddress();
                    }
                    case 0x0020, 0x0022: {
                        ByteBuffer d = v.duplicate();
                        int n = d.getInt();
                        StringBuilder s = new StringBuilder(id == 0x0020 ? "[" : "{");
                        for (int i = 0; i < n; i++) {
                            if (i > 0) s.append(", ");
                            ByteBuffer e = getBytes(d);
                            s.append(e == null ? "null" : params.get(0).format(e));
                        }
                        return s.append(id == 0x0020 ? "]" : "}").toString();
                    }
                    case 0x0021: {
                        ByteBuffer d = v.duplicate();
                        int n = d.getInt();
                        StringBuilder s = new StringBuilder("{");
                        for (int i = 0; i < n; i++) {
                            if (i > 0) s.append(", ");
                            ByteBuffer k = getBytes(d), e = getBytes(d);
                            s.append(k == null ? "null" : params.get(0).format(k)).append(": ")
                                    .append(e == null ? "null" : params.get(1).format(e));
                        }
                        return s.append("}").toString();
                    }
                    default: return hex(v);
                }
            } catch (IOException | RuntimeException e) {
                return hex(v);
            }
        }
    }

    static void putString(ByteBuffer b, String s) {
        byte[] a = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) a.length).put(a);
    }

    static String getString(ByteBuffer b) {
        int n = b.getShort() & 0xffff;
        byte[] a = new byte[n];
        b.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    static ByteBuffer getBytes(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0) return null;
        ByteBuffer v = b.slice(b.position(), n);
        b.position(b.position() + n);
        return v;
    }

    static String hex(ByteBuffer v) {
        byte[] a = new byte[v.remaining()];
        v.duplicate().get(a);
        return "0x" + HexFormat.of().formatHex(a);
    }
}
