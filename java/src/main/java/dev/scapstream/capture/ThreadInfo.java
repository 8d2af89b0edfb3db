package dev.scapstream.capture;

/** What libsinsp knows of one thread; updated in place when the shim sends a new description. */
public final class ThreadInfo {
    public long tid;
    public long pid;
    public long ptid;
    /** When the thread (or, for a main thread, the process) was created; ns since the epoch. */
    public long cloneTs;
    /** Last successful execve, 0 when none seen. */
    public long execTs;
    public int uid;
    public int containerKey;
    public int flags;
    public long vpid;
    public String comm = "";
    public String exe = "";
    public String exePath = "";
    public String args = "";
    public String user = "";
    /** Exit time (procexit), 0 while alive. Set by the reader, not by libsinsp. */
    public long exitTs;

    public boolean isMainThread() {
        return tid == pid;
    }
}
