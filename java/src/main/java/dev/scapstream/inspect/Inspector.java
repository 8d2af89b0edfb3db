package dev.scapstream.inspect;

import dev.scapstream.capture.Batch;
import dev.scapstream.capture.BatchDecoder;
import dev.scapstream.capture.CaptureException;
import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.ContainerInfo;
import dev.scapstream.capture.Dictionaries;
import dev.scapstream.capture.EventNames;
import dev.scapstream.capture.EventTypes;
import dev.scapstream.capture.EventView;
import dev.scapstream.capture.ThreadInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a whole capture and summarises it like sysdig's lscontainers / ps / evt.type counts.
 * A read error part-way keeps everything read so far: the summary carries the error.
 */
public final class Inspector implements Dictionaries.DictionaryListener {
    private final Map<String, ProcRow> processes = new LinkedHashMap<>();
    private final Map<Long, ProcRow> liveByPid = new HashMap<>();
    private Dictionaries dictionaries;
    private long[] typeCounts = new long[4096];
    private long events;
    private long firstTs = Long.MAX_VALUE;
    private long lastTs = Long.MIN_VALUE;

    private static final class ProcRow {
        long pid, ppid, startTs, exitTs;
        String comm, exe, exePath, args, user;
        int containerKey;
    }

    public static CaptureSummary inspectFile(Path file, String filter) {
        try (CaptureSource source = CaptureSource.openFile(file, filter, null)) {
            return new Inspector().run(source);
        }
    }

    /** Reads the source to its end. */
    public CaptureSummary run(CaptureSource source) {
        dictionaries = new Dictionaries(this);
        BatchDecoder decoder = new BatchDecoder(dictionaries);
        Batch batch = new Batch();
        String error = null;
        try {
            boolean more;
            do {
                more = source.next(batch, 200);
                decoder.decode(batch.buffer(), batch.used(), this::onEvent);
            } while (more);
        } catch (CaptureException e) {
            error = e.getMessage();
        }
        return summary(source, error);
    }

    private void onEvent(EventView ev, Dictionaries d) {
        events++;
        long ts = ev.ts();
        if (ts < firstTs) firstTs = ts;
        if (ts > lastTs) lastTs = ts;
        int id = ev.nameId();
        if (id >= typeCounts.length) typeCounts = java.util.Arrays.copyOf(typeCounts, id + 1024);
        typeCounts[id]++;
        if (ev.type() == EventTypes.PROCEXIT_1_E) {
            ThreadInfo t = d.thread(ev.tid());
            if (t != null) {
                t.exitTs = ts;
                if (t.isMainThread()) {
                    ProcRow row = liveByPid.get(t.pid);
                    if (row != null) row.exitTs = ts;
                }
            }
        }
    }

    @Override
    public void onThread(ThreadInfo t, boolean isNew) {
        if (!t.isMainThread()) return;
        ProcRow row = liveByPid.get(t.pid);
        if (row == null || row.startTs != t.cloneTs) {
            row = new ProcRow();
            row.pid = t.pid;
            row.startTs = t.cloneTs;
            liveByPid.put(t.pid, row);
            processes.put(t.pid + "@" + t.cloneTs, row);
        }
        row.ppid = t.ptid;
        row.comm = t.comm;
        row.exe = t.exe;
        row.exePath = t.exePath;
        row.args = t.args;
        row.user = t.user;
        row.containerKey = t.containerKey;
    }

    private CaptureSummary summary(CaptureSource source, String error) {
        Map<String, Long> types = new LinkedHashMap<>();
        List<Map.Entry<String, Long>> counted = new ArrayList<>();
        for (int i = 0; i < typeCounts.length; i++) {
            if (typeCounts[i] > 0) counted.add(Map.entry(EventNames.name(i), typeCounts[i]));
        }
        counted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        for (Map.Entry<String, Long> e : counted) types.merge(e.getKey(), e.getValue(), Long::sum);

        Map<Integer, Integer> procsPerContainer = new HashMap<>();
        List<CaptureSummary.Process> procs = new ArrayList<>();
        for (ProcRow r : processes.values()) {
            procsPerContainer.merge(r.containerKey, 1, Integer::sum);
            ContainerInfo c = dictionaries.container(r.containerKey);
            procs.add(new CaptureSummary.Process(r.pid, r.ppid, r.comm, r.exe, r.exePath, r.args, r.user,
                    c == null ? ContainerInfo.HOST_ID : c.id, r.startTs, r.exitTs));
        }
        procs.sort(Comparator.comparingLong(CaptureSummary.Process::startTs).thenComparingLong(CaptureSummary.Process::pid));
        List<CaptureSummary.Container> containers = new ArrayList<>();
        for (ContainerInfo c : dictionaries.containers()) {
            containers.add(new CaptureSummary.Container(c.id, c.fullId, c.name, c.image, c.runtime,
                    procsPerContainer.getOrDefault(c.key, 0)));
        }
        Map<String, Long> drops = new LinkedHashMap<>();
        source.stats().forEach((k, v) -> {
            if (k.contains("drop")) drops.put(k, v);
        });
        long first = events == 0 ? 0 : firstTs;
        long last = events == 0 ? 0 : lastTs;
        double span = (last - first) / 1e9;
        return new CaptureSummary(source.description(), CaptureSource.libsVersion(), events, first, last, span,
                span > 0 ? events / span : 0, types, containers, procs, drops, error);
    }
}
