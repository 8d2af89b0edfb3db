package dev.scapstream.cli;

import dev.scapstream.capture.LiveOptions;
import picocli.CommandLine.Option;

/** The live probe's options, shared by `record` and `live` (a picocli mixin). */
final class LiveCaptureOptions {
    @Option(names = "--engine", description = "modern_bpf (default) or kmod", defaultValue = "modern_bpf")
    String engine;

    @Option(names = "--buffer-mb", description = "ring buffer per CPU in MiB (default ${DEFAULT-VALUE})", defaultValue = "8")
    int bufferMb;

    @Option(names = "--page-faults", description = "also capture page fault events")
    boolean pageFaults;

    LiveOptions.Engine engine() {
        switch (engine) {
            case "modern_bpf": case "modern-bpf": return LiveOptions.Engine.MODERN_BPF;
            case "kmod": return LiveOptions.Engine.KMOD;
            default: throw new Main.UserError("unknown engine '" + engine + "' (modern_bpf or kmod)");
        }
    }

    long bufferBytes() {
        if (bufferMb < 1 || bufferMb > 1024) throw new Main.UserError("--buffer-mb must be 1..1024");
        return (long) bufferMb << 20;
    }
}
