package dev.scapstream.store.sqlite;

import dev.scapstream.store.RecordColumns;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.Rows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The tables of schema/sqlite.sql; a series table's order after ts is the rest of its primary key. */
final class Tables {
    private Tables() {}

    /** A series kind's table: {@code <kind>_rows}, keyed (host, [container_id,] res, ts, the rest of its key). */
    private static <R extends Record> RowTable<R> series(RowKind<R> k) {
        String after = k.keyAfterScope().stream().map(RecordColumns::column).collect(Collectors.joining(", "));
        return RowTable.series(k.name + "_rows", k.type, k.perContainer, after);
    }

    // A retried or late write must not revive an exited process nor blank known strings.
    static final RowTable<Rows.ProcessInfo> PROCESSES = RowTable.merged("processes", Rows.ProcessInfo.class,
            "ON CONFLICT (host, container_id, pid, start_ts) DO UPDATE SET"
                    + " ppid = excluded.ppid,"
                    + " exit_ts = CASE WHEN excluded.exit_ts <> 0 THEN excluded.exit_ts ELSE processes.exit_ts END,"
                    + " comm = coalesce(nullif(excluded.comm, ''), processes.comm),"
                    + " exe = coalesce(nullif(excluded.exe, ''), processes.exe),"
                    + " args = coalesce(nullif(excluded.args, ''), processes.args),"
                    + " user = coalesce(nullif(excluded.user, ''), processes.user)");

    // Agents report what they know each time: widen the seen range, keep the best-known names.
    static final RowTable<Rows.ContainerInfo> CONTAINERS = RowTable.merged("containers", Rows.ContainerInfo.class,
            "ON CONFLICT (host, id) DO UPDATE SET"
                    + " name = coalesce(nullif(excluded.name, ''), containers.name),"
                    + " image = coalesce(nullif(excluded.image, ''), containers.image),"
                    + " runtime = coalesce(nullif(excluded.runtime, ''), containers.runtime),"
                    + " first_seen = min(containers.first_seen, excluded.first_seen),"
                    + " last_seen = max(containers.last_seen, excluded.last_seen)");

    // The recorder's notices in order: a later one replaces times and size, a "gone" only marks the file.
    static final RowTable<Rows.Recording> RECORDINGS = RowTable.merged("recordings", Rows.Recording.class,
            "ON CONFLICT (host, path) DO UPDATE SET"
                    + " first_ns = CASE WHEN excluded.gone THEN recordings.first_ns ELSE excluded.first_ns END,"
                    + " last_ns = CASE WHEN excluded.gone THEN recordings.last_ns ELSE excluded.last_ns END,"
                    + " bytes = CASE WHEN excluded.gone THEN recordings.bytes ELSE excluded.bytes END,"
                    + " gone = excluded.gone");

    private static final Map<RowKind<?>, RowTable<?>> BY_KIND = byKind();

    private static Map<RowKind<?>, RowTable<?>> byKind() {
        Map<RowKind<?>, RowTable<?>> m = new LinkedHashMap<>();
        for (RowKind<?> k : RowKind.series()) m.put(k, series(k));
        m.put(RowKind.PROCESS_INFO, PROCESSES);
        m.put(RowKind.CONTAINER_INFO, CONTAINERS);
        m.put(RowKind.RECORDING, RECORDINGS);
        for (RowKind<?> k : RowKind.all()) {
            if (!m.containsKey(k)) throw new IllegalStateException("no SQLite table for row kind " + k);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static <R extends Record> RowTable<R> of(RowKind<R> k) {
        return (RowTable<R>) BY_KIND.get(k);
    }

    /** The tables expire() cleans: the ones with a resolution. */
    static final List<RowTable<?>> SERIES = RowKind.series().stream().<RowTable<?>>map(Tables::of).toList();

    static final List<RowTable<?>> ALL = List.copyOf(BY_KIND.values());
}
