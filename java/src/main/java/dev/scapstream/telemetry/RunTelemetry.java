package dev.scapstream.telemetry;

import dev.scapstream.aggregate.SecondAggregator;
import dev.scapstream.capture.CapturePipeline;
import dev.scapstream.capture.CaptureSource;
import dev.scapstream.store.StoreWriter;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

/**
 * The agent's own metrics for {@code /metrics}: libscap's counters under Falco's Prometheus names
 * (falcosecurity_scap_*), the pipeline's (events/s, ring fill, aggregation lag), the store
 * writer's (latency, queue, rows; a spooling backend adds its spool) and the process's (RSS, heap,
 * CPU). The run's parts are attached as they start; rendering runs on the HTTP server's thread and
 * only reads counters the parts publish for it.
 */
public final class RunTelemetry {
    /** libscap stats keys (ss_stats) and the names Falco exports them under. */
    private static final String[][] SCAP = {
            {"n_evts", "falcosecurity_scap_n_evts_total", "Events read from the kernel by libscap."},
            {"n_drops", "falcosecurity_scap_n_drops_total", "Events dropped in the kernel, all reasons."},
            {"n_drops_buffer", "falcosecurity_scap_n_drops_buffer_total", "Events dropped because the ring buffer was full."},
            {"n_drops_scratch_map", "falcosecurity_scap_n_drops_scratch_map_total", "Events dropped for lack of scratch space."},
            {"n_drops_pf", "falcosecurity_scap_n_drops_page_faults_total", "Events dropped on invalid memory access."},
            {"n_drops_bug", "falcosecurity_scap_n_drops_bug_total", "Events dropped by probe bugs."},
            {"n_preemptions", "falcosecurity_scap_n_preemptions_total", "Preemptions of the probe."},
    };

    private record Extra(String name, String help, String type, DoubleSupplier value) {}

    private final long startNanos = System.nanoTime();
    private final List<Extra> extras = new CopyOnWriteArrayList<>();
    private volatile CaptureSource source;
    private volatile CapturePipeline pipeline;
    private volatile SecondAggregator aggregator;
    private volatile StoreWriter writer;
    private long lastEvents = -1, lastNanos; // guarded by this (render)
    private double lastRate;

    public void attach(CaptureSource source, CapturePipeline pipeline, SecondAggregator aggregator, StoreWriter writer) {
        this.source = source;
        this.pipeline = pipeline;
        this.aggregator = aggregator;
        this.writer = writer;
    }

    /** Another metric (e.g. a backend's spool size). */
    public void register(String name, String help, String type, DoubleSupplier value) {
        extras.add(new Extra(name, help, type, value));
    }

    public synchronized String render() {
        PrometheusText p = new PrometheusText();
        CaptureSource src = source;
        CapturePipeline pipe = pipeline;
        if (src != null && src.isLive()) { // libscap counts only what the kernel delivers
            Map<String, Long> stats = src.stats();
            for (String[] m : SCAP) {
                Long v = stats.get(m[0]);
                if (v != null) p.counter(m[1], m[2], v);
            }
            long evts = stats.getOrDefault("n_evts", 0L), drops = stats.getOrDefault("n_drops", 0L);
            p.gauge("falcosecurity_scap_n_drops_perc", "Dropped events as a percentage of all events.",
                    evts + drops == 0 ? 0 : 100.0 * drops / (evts + drops));
        }
        if (pipe != null) {
            long events = pipe.events(), now = System.nanoTime();
            if (lastEvents >= 0 && now - lastNanos >= 500_000_000L) {
                lastRate = (events - lastEvents) * 1e9 / (now - lastNanos);
            }
            if (lastEvents < 0 || now - lastNanos >= 500_000_000L) {
                lastEvents = events;
                lastNanos = now;
            }
            p.counter("scapstream_events_read_total", "Events read by the capture thread.", events);
            p.gauge("scapstream_events_per_second", "Events read per second since the previous scrape.", lastRate);
            p.gauge("scapstream_ring_fill_ratio", "Batches waiting in the capture ring, as a fraction of its slots.", pipe.ringFill());
        }
        SecondAggregator agg = aggregator;
        if (agg != null) {
            p.counter("scapstream_rollup_keys_forgotten_total", "Rollup keys of exited processes dropped from memory "
                    + "before their 1 h / 1 d buckets ended (their rows were written).", agg.rollupKeysForgotten());
            p.counter("scapstream_rollup_keys_restarted_total", "New rollup keys of a pid whose earlier process's keys "
                    + "were forgotten the same day: their 1 h / 1 d rows may hold the later process's totals only.",
                    agg.rollupKeysRestarted());
            p.counter("scapstream_cpu_over_capacity_seconds_total", "Closed seconds in which a process, a container, "
                    + "a CPU or the machine held more CPU time than the CPUs could give (0 unless the accounting is wrong).",
                    agg.cpuOverCapacitySeconds());
        }
        if (agg != null && src != null && src.isLive() && agg.aggregatedEventTs() > 0) {
            double lag = (System.currentTimeMillis() * 1_000_000L - agg.aggregatedEventTs()) / 1e9;
            p.gauge("scapstream_aggregation_lag_seconds", "Wall clock minus the time of the newest event aggregated.", Math.max(0, lag));
        }
        StoreWriter w = writer;
        if (w != null) {
            p.counter("scapstream_store_rows_written_total", "Rows written to the store.", w.rowsWritten());
            p.counter("scapstream_store_writes_total", "Store writes (one or more closed seconds each).", w.writes());
            p.counter("scapstream_store_write_seconds_total", "Time spent in store writes.", w.writeNanos() / 1e9);
            p.gauge("scapstream_store_last_write_seconds", "Duration of the last store write.", w.lastWriteNanos() / 1e9);
            p.gauge("scapstream_store_queue_seconds", "Closed seconds waiting to be written.", w.queued());
        }
        for (Extra e : extras) p.family(e.name, e.help, e.type).sample(e.name, "", e.value.getAsDouble());
        process(p);
        return p.toString();
    }

    private void process(PrometheusText p) {
        p.gauge("scapstream_uptime_seconds", "Seconds since the agent started.", (System.nanoTime() - startNanos) / 1e9);
        long[] mem = procStatus();
        if (mem[0] >= 0) p.gauge("process_resident_memory_bytes", "Resident set size.", mem[0] * 1024.0);
        if (mem[1] >= 0) p.gauge("process_virtual_memory_bytes", "Virtual memory size.", mem[1] * 1024.0);
        if (mem[2] >= 0) p.gauge("process_resident_memory_max_bytes", "Peak resident set size.", mem[2] * 1024.0);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            p.counter("process_cpu_seconds_total", "CPU time of the process.", os.getProcessCpuTime() / 1e9);
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        p.family("jvm_memory_used_bytes", "JVM memory in use.", "gauge")
                .sample("jvm_memory_used_bytes", PrometheusText.label("area", "heap"), heap.getUsed())
                .sample("jvm_memory_used_bytes", PrometheusText.label("area", "nonheap"), nonHeap.getUsed());
        p.family("jvm_memory_committed_bytes", "JVM memory committed.", "gauge")
                .sample("jvm_memory_committed_bytes", PrometheusText.label("area", "heap"), heap.getCommitted())
                .sample("jvm_memory_committed_bytes", PrometheusText.label("area", "nonheap"), nonHeap.getCommitted());
    }

    /** VmRSS, VmSize, VmHWM in kB from /proc/self/status (-1 where unknown). */
    private static long[] procStatus() {
        long[] out = {-1, -1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                int i = line.startsWith("VmRSS:") ? 0 : line.startsWith("VmSize:") ? 1 : line.startsWith("VmHWM:") ? 2 : -1;
                if (i >= 0) out[i] = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux, or unreadable: leave unknown
        }
        return out;
    }
}
