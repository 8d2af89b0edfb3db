package dev.scapstream.testsupport;

import dev.scapstream.cli.Main;
import dev.scapstream.store.StoreWriter;

import java.io.IOException;

/**
 * The CLI with a fault armed, for the fault suite's child JVM: {@code KillAtWriteMain N args...}
 * sends SIGKILL to this JVM just as the N-th store write begins, so the kill lands in the middle of
 * a run (and often of a transaction) at a reproducible point, which a kill from outside cannot
 * promise for a sub-second replay.
 */
public final class KillAtWriteMain {
    private KillAtWriteMain() {}

    public static void main(String[] args) {
        long killAt = Long.parseLong(args[0]);
        StoreWriter.installHook(new StoreWriter.WriteHook() {
            @Override
            public void beforeWrite(long n) {
                if (n != killAt) return;
                try {
                    // the write goes on while the signal is on its way: no orderly shutdown is possible
                    new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start();
                } catch (IOException e) {
                    Runtime.getRuntime().halt(137);
                }
            }

            @Override
            public boolean coalesce() {
                return false;
            }
        });
        Main.main(java.util.Arrays.copyOfRange(args, 1, args.length));
    }
}
