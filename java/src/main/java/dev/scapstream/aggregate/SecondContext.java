package dev.scapstream.aggregate;

import dev.scapstream.capture.ContainerInfo;
import dev.scapstream.capture.Dictionaries;

/** What every table of the aggregator needs when it closes a second: the host, names, and which keys may go. */
final class SecondContext {
    static final int IDLE_SECONDS_BEFORE_FORGET = 60;

    final String host;
    final Dictionaries dictionaries;
    private final ProcessTable processes;

    SecondContext(String host, Dictionaries dictionaries, ProcessTable processes) {
        this.host = host;
        this.dictionaries = dictionaries;
        this.processes = processes;
    }

    String containerId(int key) {
        ContainerInfo c = dictionaries.container(key);
        return c == null ? ContainerInfo.HOST_ID : c.id;
    }

    /**
     * An idle key is dropped after a minute, or in its first idle second once its process has left
     * the table: under churn the keys of exited processes would otherwise be most of the live heap.
     */
    boolean forgettable(long pid, long lastActive, long sec) {
        return sec - lastActive > IDLE_SECONDS_BEFORE_FORGET || !processes.has(pid);
    }
}
