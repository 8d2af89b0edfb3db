package dev.scapstream.store.cassandra;

import dev.scapstream.store.RowKind;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.testsupport.SyntheticSeconds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * `./scapstream bench-cassandra`: can one agent's store keep up in real time? Writes closed seconds
 * of 1 000 containers x 50 processes to a real node and times each second's write, after warm-up:
 * first "processes" (process rows, container rows and infos, a connection and port per container,
 * CPU and agent rows, the agent's 10 s / 1 h / 1 d rollups), then "full" (the same plus file rows
 * for 7 of 12 processes and syscall rows). Args: HOST:PORT [containers] [processes] [seconds] [mode...].
 */
public final class CassandraBench {
    private CassandraBench() {}

    public static void main(String[] args) throws Exception {
        String cp = args.length > 0 ? args[0] : "127.0.0.1:9042";
        int containers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int processes = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        List<String> modes = args.length > 4 ? List.of(args).subList(4, args.length) : List.of("processes", "full");
        String ks = "bench_" + ProcessHandle.current().pid();
        CassandraConfig config = CassandraConfig.local(CassandraConfig.parseContactPoints(cp), ks);
        try (CassandraStore store = CassandraStore.open(config)) {
            // a fresh node's JIT needs a minute of this load before its rate settles
            int warmup = 40;
            long start = 1_800_000_000L;
            for (String mode : modes) {
                boolean flows = mode.equals("full");
                SyntheticSeconds gen = new SyntheticSeconds("bench-" + mode, containers, processes, start, flows);
                System.out.printf("bench-cassandra %s: %s, %,d containers x %,d processes%s, %d seconds after %d of"
                        + " warm-up%n", mode, cp, containers, processes, flows ? " with files and syscalls" : "", seconds,
                        warmup);
                List<Double> times = new ArrayList<>();
                long rows = 0, processRows = 0;
                double total = 0;
                for (int s = 0; s < warmup + seconds; s++) {
                    MetricsBatch b = gen.second(s);
                    long t0 = System.nanoTime();
                    store.write(b);
                    double took = (System.nanoTime() - t0) / 1e9;
                    if (s >= warmup) {
                        times.add(took);
                        rows += b.rowCount();
                        processRows += b.rows(RowKind.PROCESS).size();
                        total += took;
                    }
                }
                Collections.sort(times);
                System.out.printf("  one second of metrics (%,d rows, %,d of them process rows): median %.3f s, max %.3f s"
                                + " (every 10th second carries the rollups too)%n",
                        rows / seconds, processRows / seconds, times.get(times.size() / 2), times.get(times.size() - 1));
                // the writer's queue (64 seconds) takes the rollup bursts, so keeping up means
                // writing N seconds in less than N seconds
                System.out.printf("  sustained: %d seconds written in %.2f s = %.2f s per second, %,.0f rows/s; keeps up"
                                + " in real time: %s%n", seconds, total, total / seconds, rows / total,
                        total < seconds ? "yes" : "no");
                warmup = 10;
                start += 100_000;
            }
            store.session().execute("DROP KEYSPACE " + ks);
        }
        System.out.printf("peak RSS of the agent JVM: %d MB%n", peakRssMb());
    }

    private static long peakRssMb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("\\D+", "")) / 1024;
        }
        return -1;
    }
}
