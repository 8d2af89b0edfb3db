package dev.scapstream.view;

import dev.scapstream.store.Rows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names behind a scope's rows: containers by id, processes by pid (and start, where a row has
 * it). Rows carry ids only; a view's INFO columns read the names here.
 */
public final class Names {
    private static final Rows.ProcessInfo NO_PROCESS = new Rows.ProcessInfo("", "", -1, -1, 0, 0, "", "", "", "");
    private final Map<String, Rows.ContainerInfo> containers = new HashMap<>();
    private final Map<String, Rows.ProcessInfo> byStart = new HashMap<>();
    private final Map<String, Rows.ProcessInfo> byPid = new HashMap<>();
    /** pids are the host's, one process at a time: a parent may be in another container (a shim, a docker exec). */
    private final Map<Long, List<Rows.ProcessInfo>> byHostPid = new HashMap<>();

    void addContainers(List<Rows.ContainerInfo> infos) {
        for (Rows.ContainerInfo c : infos) containers.put(c.id(), c);
    }

    void addProcesses(List<Rows.ProcessInfo> infos) {
        for (Rows.ProcessInfo p : infos) {
            byStart.put(p.containerId() + '/' + p.pid() + '/' + p.startTs(), p);
            // of several processes that reused a pid in the window, the latest names the pid's rows
            byPid.merge(p.containerId() + '/' + p.pid(), p, (a, b) -> b.startTs() >= a.startTs() ? b : a);
            byHostPid.computeIfAbsent(p.pid(), k -> new java.util.ArrayList<>()).add(p);
        }
    }

    public Rows.ContainerInfo container(String id) {
        Rows.ContainerInfo c = containers.get(id);
        return c != null ? c : new Rows.ContainerInfo("", id, "host".equals(id) ? "host" : "", "", "", 0, 0);
    }

    /** The container's name, or its id where it has none. */
    public String containerName(String id) {
        String n = container(id).name();
        return n == null || n.isEmpty() ? id : n;
    }

    public Rows.ProcessInfo process(String containerId, long pid, long startTs) {
        Rows.ProcessInfo p = byStart.get(containerId + '/' + pid + '/' + startTs);
        return p != null ? p : process(containerId, pid);
    }

    public Rows.ProcessInfo process(String containerId, long pid) {
        Rows.ProcessInfo p = byPid.get(containerId + '/' + pid);
        return p != null ? p : NO_PROCESS;
    }

    /**
     * A process's parent: of the processes of its ppid in this scope, in any container, the latest
     * started at or before it (a pid reused later in the window is another process).
     */
    public Rows.ProcessInfo parent(Rows.ProcessInfo child) {
        Rows.ProcessInfo best = null;
        for (Rows.ProcessInfo p : byHostPid.getOrDefault(child.ppid(), List.of())) {
            if (p.startTs() <= child.startTs() && (best == null || p.startTs() > best.startTs())) best = p;
        }
        return best != null ? best : NO_PROCESS;
    }
}
