package dev.scapstream.web;

/**
 * What the process serving the UI is doing: only reading a store, or also writing it (replay,
 * live). Pages refresh every second while a capture runs.
 */
public final class RunState {
    public enum Mode { STORED, REPLAY, LIVE }

    private final Mode mode;
    private volatile boolean running;

    public RunState(Mode mode, boolean running) {
        this.mode = mode;
        this.running = running;
    }

    public static RunState stored() {
        return new RunState(Mode.STORED, false);
    }

    public Mode mode() {
        return mode;
    }

    public boolean running() {
        return running;
    }

    /** The capture ended: the data stops growing. */
    public void finished() {
        running = false;
    }
}
