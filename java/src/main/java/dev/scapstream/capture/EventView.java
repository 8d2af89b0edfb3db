package dev.scapstream.capture;

import java.nio.ByteBuffer;

import static dev.scapstream.capture.RecordLayout.*;

/**
 * A reusable, allocation-free view of one event record inside a batch. It is only valid during the
 * callback that received it: the next record re-points it.
 */
public final class EventView {
    private ByteBuffer buf;
    private int base;

    void point(ByteBuffer buf, int base) {
        this.buf = buf;
        this.base = base;
    }

    /** libscap event type (PPME_*). */
    public int type() { return buf.getShort(base + EV_TYPE) & 0xffff; }

    /** Name id: the event type, or 1024 + syscall code for generic syscall events; see {@link EventNames}. */
    public int nameId() { return buf.getShort(base + EV_NAME_ID) & 0xffff; }

    /** Event time, ns since the epoch (the trace's clock, or the kernel's when live). */
    public long ts() { return buf.getLong(base + EV_TS); }

    public long tid() { return buf.getLong(base + EV_TID); }

    /** Return value of a syscall exit; next tid of sched_switch; user ticks of procinfo. */
    public long res() { return buf.getLong(base + EV_RES); }

    /** System ticks of procinfo; signal number of signal_deliver (same slot as the latency). */
    public long aux() { return buf.getLong(base + EV_EXTRA); }

    /** Exit ts - enter ts of a syscall exit, 0 when unknown. */
    public long latencyNs() { return buf.getLong(base + EV_EXTRA); }

    public int cpu() { return buf.getShort(base + EV_CPU) & 0xffff; }

    public int flags() { return buf.get(base + EV_FLAGS) & 0xff; }

    public boolean isExit() { return (flags() & F_EXIT) != 0; }

    public boolean isSyscall() { return (flags() & F_SYSCALL) != 0; }

    public boolean failed() { return (flags() & F_FAILED) != 0; }

    /** scap_fd_type of the fd the event works on, {@link RecordLayout#FD_TYPE_NONE} when none. */
    public int fdType() { return buf.get(base + EV_FDTYPE) & 0xff; }

    /** Container key (see {@link Dictionaries#container(int)}); 0 is the host. */
    public int containerKey() { return buf.getInt(base + EV_CONTAINER); }

    /** Fd key (see {@link Dictionaries#fd(int)}); 0 when none. */
    public int fdKey() { return buf.getInt(base + EV_FDKEY); }

    public int fdNum() { return buf.getInt(base + EV_FDNUM); }

    /** Bytes read by an I/O exit (sysdig's rule: positive return values), else 0. */
    public long bytesRead() {
        int f = flags();
        if ((f & (F_EXIT | F_IO_READ)) != (F_EXIT | F_IO_READ)) return 0;
        long r = res();
        return r > 0 ? r : 0;
    }

    /** Bytes written by an I/O exit (sysdig's rule: positive return values), else 0. */
    public long bytesWritten() {
        int f = flags();
        if ((f & (F_EXIT | F_IO_WRITE)) != (F_EXIT | F_IO_WRITE)) return 0;
        long r = res();
        return r > 0 ? r : 0;
    }
}
