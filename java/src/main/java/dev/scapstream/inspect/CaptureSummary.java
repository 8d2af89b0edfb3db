package dev.scapstream.inspect;

import java.util.List;
import java.util.Map;

/** What `scapstream inspect` reports about a capture; also its JSON form. */
public record CaptureSummary(
        String source,
        String libsVersion,
        long events,
        long firstTs,
        long lastTs,
        double spanSeconds,
        double eventsPerSecond,
        Map<String, Long> eventTypes,
        List<Container> containers,
        List<Process> processes,
        Map<String, Long> drops,
        String error) {

    /** A container (or the host) and how many processes ran in it. */
    public record Container(String id, String fullId, String name, String image, String runtime, int processes) {}

    /** A process (its main thread) like ps shows it, with start and exit when known. */
    public record Process(long pid, long ppid, String comm, String exe, String exePath, String args, String user,
                          String container, long startTs, long exitTs) {}
}
