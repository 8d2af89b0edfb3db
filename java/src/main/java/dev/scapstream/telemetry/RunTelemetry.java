package dev.scapstream.telemetry;

import dev.scapstream.aggregate.SecondAggregator;
import dev.scapstream.capture.CapturePipeline;
import dev.scapstream.capture.CaptureSource;
import dev.scapstream.store.StoreWriter;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * CPU), exposed through the Prometheus Java client with its JVM and process collectors. The run's
 * parts are attached as they start; a scrape runs on the HTTP server's thread and only reads
 * counters the parts publish for it.
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
    private volatile StoreWriter storeWriter;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private boolean jvmCollectors; // guarded by registry
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private long lastEvents = -1, lastNanos; // guarded by this (collect)
    private double lastRate;

    public void attach(CaptureSource source, CapturePipeline pipeline, SecondAggregator aggregator, StoreWriter writer) {
        this.source = source;
        this.pipeline = pipeline;
        this.aggregator = aggregator;
        this.storeWriter = writer;
    }

    public RunTelemetry() {
        registry.register(this::collect);
    }

    /** Another metric (e.g. a backend's spool size). */
    public void register(String name, String help, String type, DoubleSupplier value) {
        extras.add(new Extra(name, help, type, value));
    }

    /** The exposition of every metric: the run's, and the client's JVM and process collectors. */
    public String render() {
        synchronized (registry) {
            // the client's JVM collectors (memory, GC, threads, classes) and its process_* metrics,
            // registered at the first scrape: a replay without the UI never loads them
            if (!jvmCollectors) {
                JvmMetrics.builder().register(registry);
                jvmCollectors = true;
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
            writer.write(out, registry.scrape());
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    /** The run's own metrics, read from what its parts publish (the HTTP server's thread). */
    private synchronized MetricSnapshots collect() {
        Snapshots p = new Snapshots();
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
        StoreWriter w = storeWriter;
        if (w != null) {
            p.counter("scapstream_store_rows_written_total", "Rows written to the store.", w.rowsWritten());
            p.counter("scapstream_store_writes_total", "Store writes (one or more closed seconds each).", w.writes());
            p.counter("scapstream_store_write_seconds_total", "Time spent in store writes.", w.writeNanos() / 1e9);
            p.gauge("scapstream_store_last_write_seconds", "Duration of the last store write.", w.lastWriteNanos() / 1e9);
            p.gauge("scapstream_store_queue_seconds", "Closed seconds waiting to be written.", w.queued());
        }
        for (Extra e : extras) {
            if (e.type.equals("counter")) p.counter(e.name, e.help, e.value.getAsDouble());
            else p.gauge(e.name, e.help, e.value.getAsDouble());
        }
        p.gauge("scapstream_uptime_seconds", "Seconds since the agent started.", (System.nanoTime() - startNanos) / 1e9);
        // the client's process collector has RSS and VM size; the peak is the agent's own figure
        long hwm = peakRssKb();
        if (hwm >= 0) p.gauge("process_resident_memory_max_bytes", "Peak resident set size.", hwm * 1024.0);
        return p.build();
    }

    /** Snapshots in the client's model; a counter's name is given with its _total, as exposed. */
    private static final class Snapshots {
        private final MetricSnapshots.Builder b = MetricSnapshots.builder();

        void counter(String name, String help, double value) {
            String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
            b.metricSnapshot(CounterSnapshot.builder().name(base).help(help)
                    .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build()).build());
        }

        void gauge(String name, String help, double value) {
            b.metricSnapshot(GaugeSnapshot.builder().name(name).help(help)
                    .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build());
        }

        MetricSnapshots build() {
            return b.build();
        }
    }

    /** VmHWM in kB from /proc/self/status (-1 where unknown). */
    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux, or unreadable: unknown
        }
        return -1;
    }
}
