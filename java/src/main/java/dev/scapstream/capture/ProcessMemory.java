package dev.scapstream.capture;

/** The kernel's last reported memory of a process (its main thread), in kB, and page faults. */
public final class ProcessMemory {
    public final long pid;
    public long ts;
    public long vmSizeKb;
    public long vmRssKb;
    public long vmSwapKb;
    public long minorFaults;
    public long majorFaults;

    ProcessMemory(long pid) {
        this.pid = pid;
    }
}
