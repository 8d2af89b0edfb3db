package dev.scapstream.capture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static dev.scapstream.capture.RecordLayout.*;

/**
 * Writes records in the shim's layout into a direct buffer, for code that must run the decoder and
 * the aggregators without a capture (the JIT warm-up before a live probe starts). Not a parser
 * of anything untrusted: it only produces what {@link BatchDecoder} reads.
 */
public final class SyntheticBatch {
    private final ByteBuffer buf;

    public SyntheticBatch(int bytes) {
        // direct, like the shim's batches: the decoder's call sites must see the same buffer class
        buf = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public int used() {
        return buf.position();
    }

    public int room() {
        return buf.remaining();
    }

    public void clear() {
        buf.clear();
    }

    public void thread(long tid, long pid, long cloneTs, int containerKey, String comm, String args) {
        String[] strings = {comm, "/usr/bin/" + comm, "/usr/bin/" + comm, args, "root"};
        int start = header(REC_THREAD, TH_STRINGS + stringBytes(strings));
        buf.putLong(start + TH_TID, tid).putLong(start + TH_PID, pid).putLong(start + TH_PTID, 1)
                .putLong(start + TH_CLONE_TS, cloneTs).putLong(start + TH_EXEC_TS, cloneTs).putInt(start + TH_UID, 0)
                .putInt(start + TH_CONTAINER, containerKey).putInt(start + TH_FLAGS, 0).putInt(start + TH_VPID, (int) pid);
        strings(start + TH_STRINGS, strings);
    }

    public void fd(int key, int fdType, int l4, int sport, int dport, String name) {
        String[] strings = {name};
        int start = header(REC_FD, FD_STRINGS + stringBytes(strings));
        buf.put(start + FD_TYPE, (byte) fdType).put(start + FD_L4, (byte) l4).put(start + FD_ROLE, (byte) 1)
                .putShort(start + FD_SPORT, (short) sport).putShort(start + FD_DPORT, (short) dport)
                .putInt(start + FD_KEY, key);
        strings(start + FD_STRINGS, strings);
    }

    public void event(int type, int nameId, long ts, long tid, long res, long extra, int cpu, int flags, int fdType,
                      int containerKey, int fdKey, int fdNum) {
        int start = header(REC_EVENT, EVENT_SIZE);
        buf.putShort(start + EV_TYPE, (short) type).putShort(start + EV_NAME_ID, (short) nameId)
                .putLong(start + EV_TS, ts).putLong(start + EV_TID, tid).putLong(start + EV_RES, res)
                .putLong(start + EV_EXTRA, extra).putShort(start + EV_CPU, (short) cpu)
                .put(start + EV_FLAGS, (byte) flags).put(start + EV_FDTYPE, (byte) fdType)
                .putInt(start + EV_CONTAINER, containerKey).putInt(start + EV_FDKEY, fdKey)
                .putInt(start + EV_FDNUM, fdNum);
    }

    private int header(int kind, int size) {
        int len = (size + 7) & ~7;
        int start = buf.position();
        for (int i = 0; i < len; i++) buf.put(start + i, (byte) 0);
        buf.putShort(start + KIND, (short) kind).putShort(start + LEN, (short) len);
        buf.position(start + len);
        return start;
    }

    private static int stringBytes(String[] strings) {
        int n = 0;
        for (String s : strings) n += 2 + s.getBytes(StandardCharsets.UTF_8).length;
        return n;
    }

    private void strings(int at, String[] strings) {
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            buf.putShort(at, (short) b.length);
            buf.put(at + 2, b);
            at += 2 + b.length;
        }
    }
}
