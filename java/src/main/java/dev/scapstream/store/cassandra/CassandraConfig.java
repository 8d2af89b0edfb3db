package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How to reach a Cassandra cluster and how to write to it.
 *
 * @param replication the keyspace's replication map as CQL, used only when the keyspace is created
 * @param ttls seconds each resolution is kept (raw, 10 s, 1 h, 1 d); 0 = forever
 * @param spoolDir where closed seconds wait while Cassandra is unreachable (null: no spool)
 * @param spoolMaxBytes the spool's bound; past it new seconds are dropped, counted and reported
 */
public record CassandraConfig(List<InetSocketAddress> contactPoints, String localDc, String keyspace,
                              String replication, ConsistencyLevel consistency, String user, String password,
                              int[] ttls, int maxInFlight, Duration requestTimeout, Path spoolDir, long spoolMaxBytes) {
    public static final String DEFAULT_REPLICATION = "{'class': 'SimpleStrategy', 'replication_factor': 1}";
    private static final Pattern KEYSPACE = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,47}");

    public CassandraConfig {
        if (contactPoints.isEmpty()) throw new IllegalArgumentException("no Cassandra contact point");
        if (!KEYSPACE.matcher(keyspace).matches()) {
            throw new IllegalArgumentException("bad keyspace name '" + keyspace + "' (letters, digits, _; at most 48)");
        }
        if (ttls.length != 4) throw new IllegalArgumentException("ttls: raw, 10 s, 1 h, 1 d");
        ttls = ttls.clone();
    }

    /** A dev node's defaults: LOCAL_QUORUM, rf 1 when created, the agent's default retention, no spool. */
    public static CassandraConfig local(List<InetSocketAddress> contactPoints, String keyspace) {
        return new CassandraConfig(contactPoints, "datacenter1", keyspace, DEFAULT_REPLICATION,
                DefaultConsistencyLevel.LOCAL_QUORUM, null, null, new int[] {172_800, 1_209_600, 7_776_000, 0},
                256, Duration.ofSeconds(5), null, 0);
    }

    public CassandraConfig withSpool(Path dir, long maxBytes) {
        return new CassandraConfig(contactPoints, localDc, keyspace, replication, consistency, user, password, ttls,
                maxInFlight, requestTimeout, dir, maxBytes);
    }

    public CassandraConfig withTtls(int[] t) {
        return new CassandraConfig(contactPoints, localDc, keyspace, replication, consistency, user, password, t,
                maxInFlight, requestTimeout, spoolDir, spoolMaxBytes);
    }

    public CassandraConfig withReplication(String r) {
        return new CassandraConfig(contactPoints, localDc, keyspace, r, consistency, user, password, ttls,
                maxInFlight, requestTimeout, spoolDir, spoolMaxBytes);
    }

    public CassandraConfig withConsistency(ConsistencyLevel c) {
        return new CassandraConfig(contactPoints, localDc, keyspace, replication, c, user, password, ttls,
                maxInFlight, requestTimeout, spoolDir, spoolMaxBytes);
    }

    public CassandraConfig withRequestTimeout(Duration d) {
        return new CassandraConfig(contactPoints, localDc, keyspace, replication, consistency, user, password, ttls,
                maxInFlight, d, spoolDir, spoolMaxBytes);
    }

    public CassandraConfig withLocalDc(String dc) {
        return new CassandraConfig(contactPoints, dc, keyspace, replication, consistency, user, password, ttls,
                maxInFlight, requestTimeout, spoolDir, spoolMaxBytes);
    }

    public CassandraConfig withCredentials(String u, String p) {
        return new CassandraConfig(contactPoints, localDc, keyspace, replication, consistency, u, p, ttls,
                maxInFlight, requestTimeout, spoolDir, spoolMaxBytes);
    }

    /** TTL in seconds for rows of a resolution (0 = kept forever). */
    int ttl(int res) {
        switch (res) {
            case 1: return ttls[0];
            case 10: return ttls[1];
            case 3600: return ttls[2];
            case 86400: return ttls[3];
            default: throw new IllegalArgumentException("no resolution " + res);
        }
    }

    /** Processes, containers and day indexes live as long as the longest-kept rollup (0 = forever). */
    int infoTtl() {
        int max = 0;
        for (int t : ttls) {
            if (t == 0) return 0;
            max = Math.max(max, t);
        }
        return max;
    }

    /** "HOST[:PORT],HOST[:PORT]..." (port 9042 by default; [v6]:port for IPv6). */
    public static List<InetSocketAddress> parseContactPoints(String s) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            String host;
            int port = 9042;
            if (p.startsWith("[")) {
                int close = p.indexOf(']');
                if (close < 0) throw new IllegalArgumentException("bad contact point '" + p + "'");
                host = p.substring(1, close);
                if (close + 1 < p.length()) port = port(p.substring(close + 1), p);
            } else {
                int colon = p.lastIndexOf(':');
                host = colon < 0 ? p : p.substring(0, colon);
                if (colon >= 0) port = port(p.substring(colon), p);
            }
            if (host.isEmpty()) throw new IllegalArgumentException("bad contact point '" + p + "'");
            out.add(InetSocketAddress.createUnresolved(host, port));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no Cassandra contact point in '" + s + "'");
        return out;
    }

    private static int port(String colonPort, String whole) {
        try {
            if (!colonPort.startsWith(":")) throw new NumberFormatException();
            int port = Integer.parseInt(colonPort.substring(1));
            if (port < 1 || port > 65535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in contact point '" + whole + "'");
        }
    }

    /**
     * "SimpleStrategy:3" or "dc1:3,dc2:2" (NetworkTopologyStrategy) to a CQL replication map.
     */
    public static String parseReplication(String s) {
        String t = s.trim();
        if (t.toLowerCase(Locale.ROOT).startsWith("simplestrategy:")) {
            return "{'class': 'SimpleStrategy', 'replication_factor': " + factor(t.substring(15), s) + "}";
        }
        StringBuilder b = new StringBuilder("{'class': 'NetworkTopologyStrategy'");
        for (String part : t.split(",")) {
            int colon = part.lastIndexOf(':');
            String dc = colon < 0 ? "" : part.substring(0, colon).trim();
            if (!dc.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("bad replication '" + s + "' (like SimpleStrategy:1 or dc1:3,dc2:3)");
            }
            b.append(", '").append(dc).append("': ").append(factor(part.substring(colon + 1), s));
        }
        return b.append('}').toString();
    }

    private static int factor(String n, String whole) {
        try {
            int f = Integer.parseInt(n.trim());
            if (f < 1 || f > 99) throw new NumberFormatException();
            return f;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad replication factor in '" + whole + "'");
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Cassandra ");
        for (int i = 0; i < contactPoints.size(); i++) {
            InetSocketAddress a = contactPoints.get(i);
            if (i > 0) b.append(',');
            b.append(a.getHostString()).append(':').append(a.getPort());
        }
        return b.append(" keyspace ").append(keyspace).toString();
    }
}
