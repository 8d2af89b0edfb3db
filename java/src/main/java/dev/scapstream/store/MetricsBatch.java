package dev.scapstream.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything to write for one closed second: its raw rows, the rollup rows it completed or updated
 * (10 s, 1 h, 1 d buckets carry their running totals and are overwritten as they grow), and
 * upserts of processes and containers. Writing the same batch twice must leave the same rows.
 */
public final class MetricsBatch {
    public final List<Rows.ContainerRow> containers = new ArrayList<>();
    public final List<Rows.ProcessRow> processes = new ArrayList<>();
    public final List<Rows.FileRow> files = new ArrayList<>();
    public final List<Rows.ConnectionRow> connections = new ArrayList<>();
    public final List<Rows.PortRow> ports = new ArrayList<>();
    public final List<Rows.SyscallRow> syscalls = new ArrayList<>();
    public final List<Rows.ErrnoRow> errnos = new ArrayList<>();
    public final List<Rows.ThreadRow> threads = new ArrayList<>();
    public final List<Rows.CpuRow> cpus = new ArrayList<>();
    public final List<Rows.AgentRow> agent = new ArrayList<>();
    public final List<Rows.ProcessInfo> processInfos = new ArrayList<>();
    public final List<Rows.ContainerInfo> containerInfos = new ArrayList<>();
    /** Notices of recorded files for the index, in the order the recorder gave them. */
    public final List<Rows.Recording> recordings = new ArrayList<>();

    public boolean isEmpty() {
        return containers.isEmpty() && processes.isEmpty() && files.isEmpty() && connections.isEmpty()
                && ports.isEmpty() && syscalls.isEmpty() && errnos.isEmpty() && threads.isEmpty() && cpus.isEmpty() && agent.isEmpty()
                && processInfos.isEmpty() && containerInfos.isEmpty() && recordings.isEmpty();
    }

    public int rowCount() {
        return containers.size() + processes.size() + files.size() + connections.size() + ports.size()
                + syscalls.size() + errnos.size() + threads.size() + cpus.size() + agent.size() + processInfos.size()
                + containerInfos.size() + recordings.size();
    }
}
