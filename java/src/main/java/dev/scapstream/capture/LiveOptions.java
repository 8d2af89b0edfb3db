package dev.scapstream.capture;

/** How to open a live capture. */
public record LiveOptions(Engine engine, String filter, long bufferBytesPerCpu, RecordSpec record,
                          boolean procinfo, boolean pageFaults, boolean enterRecords, boolean scrubExisting) {
    public enum Engine {
        MODERN_BPF(NativeShim.MODE_MODERN_BPF, "modern eBPF"),
        KMOD(NativeShim.MODE_KMOD, "kernel module");

        final int mode;
        final String label;

        Engine(int mode, String label) {
            this.mode = mode;
            this.label = label;
        }
    }

    public static LiveOptions defaults() {
        return new LiveOptions(Engine.MODERN_BPF, "", 8L << 20, null, true, false, true, false);
    }
}
