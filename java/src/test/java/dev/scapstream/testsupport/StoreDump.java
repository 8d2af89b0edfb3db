package dev.scapstream.testsupport;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a reader of the storage interface can see for a host, keyed by query, each list in a
 * canonical order: two stores that were written the same rows dump equal maps, whatever backend.
 */
public final class StoreDump {
    private StoreDump() {}

    public static Map<String, List<String>> of(MetricsStore s, String host) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        long from = 0, to = Long.MAX_VALUE;
        List<Rows.ContainerInfo> containers = s.containers(host, from, to);
        put(out, "containers", containers);
        for (int res : MetricsStore.RESOLUTIONS) {
            put(out, "cpus@" + res, s.cpus(host, from, to, res));
            put(out, "agent@" + res, s.agent(host, from, to, res));
        }
        for (Rows.ContainerInfo c : containers) {
            String id = c.id();
            put(out, id + " processes", s.processes(host, id, from, to));
            for (int res : MetricsStore.RESOLUTIONS) {
                put(out, id + " containerSeries@" + res, s.containerSeries(host, id, from, to, res));
                put(out, id + " processSeries@" + res, s.processSeries(host, id, from, to, res));
                put(out, id + " files@" + res, s.files(host, id, from, to, res));
                put(out, id + " connections@" + res, s.connections(host, id, from, to, res));
                put(out, id + " threads@" + res, s.threads(host, id, from, to, res));
                put(out, id + " ports@" + res, s.ports(host, id, from, to, res));
                put(out, id + " syscalls@" + res, s.syscalls(host, id, from, to, res));
                put(out, id + " errnos@" + res, s.errnos(host, id, from, to, res));
            }
        }
        return out;
    }

    /** Rows written, as the dump of them would read. */
    public static long rows(Map<String, List<String>> dump) {
        return dump.values().stream().mapToLong(List::size).sum();
    }

    private static void put(Map<String, List<String>> out, String key, List<?> rows) {
        List<String> text = new ArrayList<>();
        for (Object r : rows) text.add(String.valueOf(r));
        text.sort(Comparator.naturalOrder());
        out.put(key, text);
    }
}
