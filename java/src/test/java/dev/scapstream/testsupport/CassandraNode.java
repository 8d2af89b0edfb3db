package dev.scapstream.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Cassandra node on this machine for tests, run by {@code scripts/cassandra/node.sh}
 * (the server's jars from Maven, cached under ~/.cache/scapstream/). Each node binds its own loopback
 * address (127.0.0.N), so several run at once: e.g. a 3-node cluster on 127.0.0.1-3 with the default
 * ports ({@code seeds "127.0.0.1"}, one cluster name) beside the launcher's shared node on
 * 127.0.0.1:19042. A fresh node answers CQL in ~4-8 s, a restart on its data in ~3 s.
 *
 * <p>Nodes this JVM started and did not stop are killed when it exits.
 */
public final class CassandraNode {
    /** Set by {@code ./scapstream test} to the node it started for the whole run, e.g. 127.0.0.1:19042. */
    public static final String SHARED_ENV = "SCAPSTREAM_TEST_CASSANDRA";

    private static final Set<CassandraNode> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (CassandraNode n : RUNNING) {
                try {
                    n.script(Duration.ofSeconds(20), "kill", "--dir", n.dir.toString());
                } catch (RuntimeException ignored) {
                    // best effort at exit
                }
            }
        }, "cassandra-node-cleanup"));
    }

    private final Path dir;
    private final String address;
    private final int nativePort;
    private final int storagePort;
    private final String seeds;
    private final String cluster;
    private final List<String> options;

    private CassandraNode(Path dir, String address, int nativePort, int storagePort, String seeds, String cluster,
                          List<String> options) {
        this.options = options;
        this.dir = dir;
        this.address = address;
        this.nativePort = nativePort;
        this.storagePort = storagePort;
        this.seeds = seeds;
        this.cluster = cluster;
    }

    /**
     * Starts a node with its data, logs and config under {@code dir} (created if needed; an earlier
     * node's data there is reused, as in a restart) and returns once it answers a CQL query.
     *
     * <p>A SIGKILL ({@link #kill()}) loses the last 10 s of writes on that node, as a real crash does
     * (commitlog_sync periodic, as shipped); pass {@code "--commitlog-sync", "batch"} for a node that
     * keeps every acknowledged write.
     *
     * @param seeds   comma-separated seed addresses, e.g. "127.0.0.1" (the node's own address for a
     *                single node)
     * @param options more node.sh start options, e.g. "--heap", "1g", "--commitlog-sync", "batch",
     *                "--timeout", "300" (see scripts/cassandra/node.sh)
     * @throws IllegalStateException with the script's last output line when the node does not come up
     */
    public static CassandraNode start(Path dir, String address, int nativePort, int storagePort, String seeds,
                                      String cluster, String... options) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CassandraNode n = new CassandraNode(dir.toAbsolutePath().normalize(), address, nativePort, storagePort,
                seeds, cluster, List.of(options));
        n.startProcess();
        return n;
    }

    /** The shared node's contact point ("host:port") from {@value #SHARED_ENV}, if the launcher started one. */
    public static Optional<String> shared() {
        String v = System.getenv(SHARED_ENV);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** The shared node's contact point; skips the calling test (the reason printed) when there is none. */
    public static String requireShared() {
        Optional<String> s = shared();
        if (s.isEmpty()) {
            String why = "no Cassandra node: " + SHARED_ENV + " is not set (./scapstream test starts one)";
            System.out.println("SKIP: " + why);
            Assumptions.abort(why);
        }
        return s.get();
    }

    /** "host:port" as an address for a driver's contact points. */
    public static InetSocketAddress socketAddress(String contactPoint) {
        int i = contactPoint.lastIndexOf(':');
        if (i <= 0) throw new IllegalArgumentException("not host:port: " + contactPoint);
        return new InetSocketAddress(contactPoint.substring(0, i), Integer.parseInt(contactPoint.substring(i + 1)));
    }

    /** Graceful stop (SIGTERM; SIGKILL after 30 s); fine if it is not running. */
    public void stop() {
        script(Duration.ofSeconds(60), "stop", "--dir", dir.toString());
        RUNNING.remove(this);
    }

    /** SIGKILL, as a crash would (fault tests); the data stays for {@link #restart()}. */
    public void kill() {
        script(Duration.ofSeconds(30), "kill", "--dir", dir.toString());
        RUNNING.remove(this);
    }

    /** Starts the node again on the same directory and data (stopping it first if it still runs). */
    public CassandraNode restart() {
        if (running()) stop();
        startProcess();
        return this;
    }

    /** Running and answering CQL. */
    public boolean running() {
        return run(Duration.ofSeconds(30), "status", "--dir", dir.toString()).exit == 0;
    }

    /** The rows of one CQL query (columns tab-separated), through the script's protocol probe. */
    public List<String> cql(String query) {
        Result r = run(Duration.ofSeconds(30), "cql", "--dir", dir.toString(), query);
        if (r.exit != 0) throw new IllegalStateException("cql on " + contactPoint() + " failed: " + r.lastLine());
        return r.out;
    }

    /** Waits until this node lists {@code count} peers in system.peers (a cluster that has formed). */
    public void awaitPeers(int count, Duration timeout) {
        script(timeout.plusSeconds(30), "wait-peers", "--dir", dir.toString(), "--count", Integer.toString(count),
                "--timeout", Long.toString(Math.max(1, timeout.toSeconds())));
    }

    public String contactPoint() {
        return address + ":" + nativePort;
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, nativePort);
    }

    public String address() {
        return address;
    }

    public int nativePort() {
        return nativePort;
    }

    public int storagePort() {
        return storagePort;
    }

    public String cluster() {
        return cluster;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public String toString() {
        return "CassandraNode[" + contactPoint() + ", cluster " + cluster + ", " + dir + "]";
    }

    private void startProcess() {
        List<String> args = new ArrayList<>(List.of("start", "--dir", dir.toString(), "--address", address,
                "--native-port", Integer.toString(nativePort), "--storage-port", Integer.toString(storagePort),
                "--seeds", seeds, "--cluster", cluster));
        args.addAll(options);
        script(Duration.ofSeconds(600), args.toArray(String[]::new));
        RUNNING.add(this);
    }

    private static Path nodeScript() {
        return TestData.repo().toAbsolutePath().resolve("scripts/cassandra/node.sh");
    }

    /** exit code, stdout lines, and stdout + stderr lines in arrival order */
    private record Result(int exit, List<String> out, List<String> all) {
        String lastLine() {
            for (int i = all.size() - 1; i >= 0; i--) {
                if (!all.get(i).isBlank()) return all.get(i);
            }
            return "(no output)";
        }
    }

    /** Runs node.sh, its output echoed; throws with its last line when it fails. */
    private Result script(Duration limit, String... args) {
        Result r = run(limit, args);
        if (r.exit != 0) {
            throw new IllegalStateException("node.sh " + args[0] + " " + contactPoint() + ": " + r.lastLine());
        }
        return r;
    }

    private Result run(Duration limit, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(nodeScript().toString());
        cmd.addAll(List.of(args));
        boolean echo = !args[0].equals("cql") && !args[0].equals("status");
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + nodeScript(), e);
        }
        List<String> out = new ArrayList<>();
        List<String> all = new ArrayList<>();
        Thread[] readers = {
            reader(p.getInputStream(), all, out, echo),
            reader(p.getErrorStream(), all, null, echo),
        };
        try {
            boolean done = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            for (Thread t : readers) t.join(5_000);
            synchronized (all) {
                if (!done) {
                    all.add("node.sh " + args[0] + " did not finish in " + limit.toSeconds() + " s");
                    return new Result(-1, List.copyOf(out), List.copyOf(all));
                }
                return new Result(p.exitValue(), List.copyOf(out), List.copyOf(all));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted running node.sh " + args[0], e);
        }
    }

    private static Thread reader(java.io.InputStream stream, List<String> all, List<String> mine, boolean echo) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (all) {
                        all.add(line);
                        if (mine != null) mine.add(line);
                    }
                    if (echo) System.out.println(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "node.sh-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
