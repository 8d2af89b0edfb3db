package dev.scapstream.chisel;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TreeMap;

/** iobytes_file, iobytes_net: bytes read and written per second of event time, as sysdig prints them. */
public record IoBytesChisel(String name, String category, String description, String filter) implements Chisel {
    public static final List<String> FIELDS = List.of("evt.rawtime.s", "evt.rawres", "evt.is_io_read", "evt.dir");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    @Override
    public List<Arg> args() {
        return List.of();
    }

    /** Seconds to {in, out}. */
    public static final class Fold {
        private final TreeMap<Long, long[]> seconds = new TreeMap<>();

        public void add(JsonNode e) {
            // enter events pass the filter (see FieldTableChisel) and count nothing
            long res = "<".equals(e.path("evt.dir").asText()) ? e.path("evt.rawres").asLong(0) : 0;
            long s = e.path("evt.rawtime.s").asLong(0);
            long[] io = seconds.computeIfAbsent(s, x -> new long[2]);
            if (res <= 0) return;
            io[e.path("evt.is_io_read").asBoolean(false) ? 0 : 1] += res;
        }

        /** Every second from the first to the last, zeros included (sysdig prints each interval). */
        public void print(PrintWriter out) {
            if (seconds.isEmpty()) return;
            for (long s = seconds.firstKey(); s <= seconds.lastKey(); s++) {
                long[] io = seconds.getOrDefault(s, new long[2]);
                out.println(CLOCK.format(Instant.ofEpochSecond(s)) + " in:" + io[0] + " out:" + io[1] + " tot:" + (io[0] + io[1]));
            }
        }
    }
}
