package dev.scapstream.view;

/**
 * What a view covers: a host, one container or all (null), one process or all (pid &lt; 0), and
 * [from, to) in epoch seconds at a stored resolution. Drilling down narrows a scope.
 */
public record Scope(String host, String containerId, long pid, long fromTs, long toTs, int res) {
    public Scope {
        if (host == null) throw new IllegalArgumentException("host");
        if (toTs <= fromTs) throw new IllegalArgumentException("empty range [" + fromTs + ", " + toTs + ")");
    }

    public static Scope host(String host, long fromTs, long toTs) {
        return new Scope(host, null, -1, fromTs, toTs, 1);
    }

    public Scope container(String id) {
        return new Scope(host, id, pid, fromTs, toTs, res);
    }

    public Scope process(String containerId, long pid) {
        return new Scope(host, containerId, pid, fromTs, toTs, res);
    }

    public Scope range(long from, long to) {
        return new Scope(host, containerId, pid, from, to, res);
    }

    /** The window's length in ns: CPU columns are a percent of one CPU over it. */
    public long windowNs() {
        return (toTs - fromTs) * 1_000_000_000L;
    }
}
