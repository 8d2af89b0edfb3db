package dev.scapstream.chisel;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table chisel over fields libsinsp renders per event (sysdig's table_generator): events that
 * the filter selects, keyed by the key fields, each adding its value field (or 1). For keys the
 * store does not hold: files' errors, or any field (fdbytes_by FIELD). Enter events pass the
 * filter and are dropped here: libsinsp 0.20 gives a write's exit no fd when a filter dropped its
 * enter event.
 *
 * @param keyFields   libsinsp fields ({0} = the chisel's first argument)
 * @param valueField  the field summed (its positive values: bytes), or null to count events
 * @param distinctFds count the distinct fds (fd.num, fd.name) per key instead, printed as sysdig's
 *                    fdcount_by prints them: key, tab, count
 */
public record FieldTableChisel(String name, String category, String description, List<Arg> args, String filter,
                               List<String> keyFields, List<String> keyTitles, String valueField, String valueTitle,
                               SysdigTable.Units units, int top, boolean distinctFds) implements Chisel {
    public List<String> fields(List<String> argValues) {
        List<String> f = new ArrayList<>();
        for (String k : keyFields) f.add(Template.fill(k, argValues));
        if (valueField != null) {
            f.add(valueField);
            f.add("evt.dir");
        }
        if (distinctFds) {
            f.add("fd.num");
            f.add("fd.name");
        }
        return f;
    }

    public List<String> titles(List<String> argValues) {
        List<String> t = new ArrayList<>();
        for (String k : keyTitles) t.add(Template.fill(k, argValues));
        return t;
    }

    /** Folds the events one by one. */
    public final class Fold {
        private final List<String> keys;
        private final Map<List<String>, long[]> values = new HashMap<>();
        private final Map<List<String>, Set<String>> fds = new HashMap<>();

        public Fold(List<String> argValues) {
            keys = new ArrayList<>();
            for (String k : keyFields) keys.add(Template.fill(k, argValues));
        }

        public void add(JsonNode event) {
            List<String> key = new ArrayList<>(keys.size());
            for (String k : keys) {
                JsonNode v = event.get(k);
                key.add(v == null || v.isNull() ? null : v.asText());
            }
            if (distinctFds) {
                long num = event.path("fd.num").asLong(-1);
                String fdName = event.path("fd.name").asText("");
                if (num <= 0 || fdName.isEmpty() || key.contains(null)) return;
                fds.computeIfAbsent(key, x -> new HashSet<>()).add(num + fdName);
                return;
            }
            long add = 1;
            if (valueField != null) {
                if (!"<".equals(event.path("evt.dir").asText())) return; // the value is the exit's
                JsonNode v = event.get(valueField);
                if (v == null || !v.canConvertToLong()) return;
                add = v.asLong();
                if (add <= 0) return; // errors and EOF move no bytes
            }
            values.computeIfAbsent(key, x -> new long[1])[0] += add;
        }

        public List<SysdigTable.Row> rows() {
            List<SysdigTable.Row> rows = new ArrayList<>();
            if (distinctFds) for (var e : fds.entrySet()) rows.add(row(e.getKey(), e.getValue().size()));
            else for (var e : values.entrySet()) rows.add(row(e.getKey(), e.getValue()[0]));
            rows.sort((a, b) -> a.value() != b.value() ? Long.compare(b.value(), a.value())
                    : String.join("\u0001", a.keys()).compareTo(String.join("\u0001", b.keys())));
            return top > 0 && rows.size() > top ? rows.subList(0, top) : rows;
        }

        private static SysdigTable.Row row(List<String> key, long v) {
            List<String> ks = new ArrayList<>(key.size());
            for (String k : key) ks.add(k == null ? "<NA>" : k.isEmpty() ? "" : Printable.of(k));
            return new SysdigTable.Row(v, ks);
        }
    }
}
