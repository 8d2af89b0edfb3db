package dev.scapstream.capture;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.scapstream.capture.RecordLayout.*;

/**
 * Threads, processes' memory, containers and fds as described by the shim's dictionary records.
 * Owned by the thread that decodes batches. Lookups by key allocate nothing.
 */
public final class Dictionaries {
    private final LongMap<ThreadInfo> threads = new LongMap<>(1024);
    private final LongMap<ProcessMemory> memory = new LongMap<>(512);
    private final List<ContainerInfo> containers = new ArrayList<>();
    private final List<FdInfo> fds = new ArrayList<>();
    private final DictionaryListener listener;

    /** Told about every dictionary change, in stream order (may be {@link DictionaryListener#NONE}). */
    public interface DictionaryListener {
        DictionaryListener NONE = new DictionaryListener() {};

        default void onThread(ThreadInfo t, boolean isNew) {}

        default void onContainer(ContainerInfo c) {}

        default void onMemory(ProcessMemory m) {}
    }

    public Dictionaries() {
        this(DictionaryListener.NONE);
    }

    public Dictionaries(DictionaryListener listener) {
        this.listener = listener;
        containers.add(new ContainerInfo(0, ContainerInfo.HOST_ID));
        fds.add(null);
    }

    public ThreadInfo thread(long tid) {
        return threads.get(tid);
    }

    public ProcessMemory memory(long pid) {
        return memory.get(pid);
    }

    /** Container by key; 0 is the host. Unknown keys give null. */
    public ContainerInfo container(int key) {
        return key >= 0 && key < containers.size() ? containers.get(key) : null;
    }

    public FdInfo fd(int key) {
        return key > 0 && key < fds.size() ? fds.get(key) : null;
    }

    public List<ContainerInfo> containers() {
        List<ContainerInfo> out = new ArrayList<>();
        for (ContainerInfo c : containers) if (c != null) out.add(c);
        return out;
    }

    /** Forgets a thread (after its exit has been handled), so the table stays bounded. */
    public void removeThread(long tid) {
        ThreadInfo t = threads.remove(tid);
        if (t != null && t.isMainThread()) memory.remove(t.pid);
    }

    void apply(ByteBuffer b, int at, int kind) {
        switch (kind) {
            case REC_THREAD: applyThread(b, at); break;
            case REC_CONTAINER: applyContainer(b, at); break;
            case REC_FD: applyFd(b, at); break;
            case REC_MEMORY: applyMemory(b, at); break;
            default: break; // unknown kinds are skipped: newer shim, older reader
        }
    }

    private void applyThread(ByteBuffer b, int at) {
        long tid = b.getLong(at + TH_TID);
        ThreadInfo t = threads.get(tid);
        boolean isNew = t == null || t.cloneTs != b.getLong(at + TH_CLONE_TS);
        if (t == null) {
            t = new ThreadInfo();
            threads.put(tid, t);
        }
        if (isNew) t.exitTs = 0;
        t.tid = tid;
        t.pid = b.getLong(at + TH_PID);
        t.ptid = b.getLong(at + TH_PTID);
        t.cloneTs = b.getLong(at + TH_CLONE_TS);
        t.execTs = b.getLong(at + TH_EXEC_TS);
        t.uid = b.getInt(at + TH_UID);
        t.containerKey = b.getInt(at + TH_CONTAINER);
        t.flags = b.getInt(at + TH_FLAGS);
        t.vpid = b.getInt(at + TH_VPID);
        int p = at + TH_STRINGS;
        t.comm = str(b, p); p += 2 + len(b, p);
        t.exe = str(b, p); p += 2 + len(b, p);
        t.exePath = str(b, p); p += 2 + len(b, p);
        t.args = str(b, p); p += 2 + len(b, p);
        t.user = str(b, p);
        listener.onThread(t, isNew);
    }

    private void applyContainer(ByteBuffer b, int at) {
        int key = b.getInt(at + CT_KEY);
        int p = at + CT_STRINGS;
        String id = str(b, p); p += 2 + len(b, p);
        while (containers.size() <= key) containers.add(null);
        ContainerInfo c = containers.get(key);
        if (c == null) {
            c = new ContainerInfo(key, id);
            containers.set(key, c);
        }
        c.id = id;
        c.fullId = str(b, p); p += 2 + len(b, p);
        c.name = str(b, p); p += 2 + len(b, p);
        c.image = str(b, p); p += 2 + len(b, p);
        c.runtime = str(b, p);
        c.lookupDone = b.getInt(at + CT_LOOKUP) == 0;
        listener.onContainer(c);
    }

    private void applyFd(ByteBuffer b, int at) {
        int key = b.getInt(at + FD_KEY);
        FdInfo fd = new FdInfo(key, b.get(at + FD_TYPE) & 0xff, b.get(at + FD_L4) & 0xff,
                b.get(at + FD_ROLE) & 0xff, b.getShort(at + FD_SPORT) & 0xffff,
                b.getShort(at + FD_DPORT) & 0xffff, str(b, at + FD_STRINGS));
        while (fds.size() <= key) fds.add(null);
        fds.set(key, fd);
    }

    private void applyMemory(ByteBuffer b, int at) {
        long pid = b.getLong(at + MEM_PID);
        ProcessMemory m = memory.get(pid);
        if (m == null) {
            m = new ProcessMemory(pid);
            memory.put(pid, m);
        }
        m.ts = b.getLong(at + MEM_TS);
        m.vmSizeKb = b.getInt(at + MEM_VMSIZE) & 0xffffffffL;
        m.vmRssKb = b.getInt(at + MEM_VMRSS) & 0xffffffffL;
        m.vmSwapKb = b.getInt(at + MEM_VMSWAP) & 0xffffffffL;
        long pf = b.getLong(at + MEM_PF);
        m.minorFaults = pf & ((1L << 40) - 1);
        m.majorFaults = pf >>> 40;
        listener.onMemory(m);
    }

    private static int len(ByteBuffer b, int p) {
        return b.getShort(p) & 0xffff;
    }

    private static String str(ByteBuffer b, int p) {
        int n = len(b, p);
        if (n == 0) return "";
        byte[] bytes = new byte[n];
        b.get(p + 2, bytes, 0, n);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
