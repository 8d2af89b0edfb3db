package dev.scapstream.cli;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.telemetry.RunTelemetry;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * The CLI with a fault armed, for the fault suite's child JVM: {@code KillAtWriteMain N args...}
 * opens the store the command asks for, wrapped so that it writes each closed second on its own
 * and sends SIGKILL to this JVM just as the N-th write begins. The kill lands in the middle of a
 * run (and often of a transaction) at a reproducible point, which a kill from outside cannot
 * promise for a sub-second replay.
 */
public final class KillAtWriteMain {
    private KillAtWriteMain() {}

    public static void main(String[] args) {
        long killAt = Long.parseLong(args[0]);
        String[] argv = java.util.Arrays.copyOfRange(args, 1, args.length);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == StoreOptions.class) return cls.cast(new KillingStoreOptions(killAt));
                return CommandLine.defaultFactory().create(cls);
            }
        };
        int code = Main.run(argv, new PrintWriter(System.out, true), new PrintWriter(System.err, true), factory);
        System.exit(code);
    }

    private static final class KillingStoreOptions extends StoreOptions {
        private final long killAt;

        KillingStoreOptions(long killAt) {
            this.killAt = killAt;
        }

        @Override
        MetricsStore open(RunTelemetry telemetry, PrintWriter err) {
            MetricsStore real = super.open(telemetry, err);
            long[] writes = {0};
            InvocationHandler h = (proxy, method, a) -> {
                if (method.getName().equals("coalescesWrites")) return false;
                if (method.getName().equals("write") && ++writes[0] == killAt) {
                    try {
                        // the write goes on while the signal is on its way: no orderly shutdown is possible
                        new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start();
                    } catch (IOException e) {
                        Runtime.getRuntime().halt(137);
                    }
                }
                try {
                    return method.invoke(real, a);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            return (MetricsStore) Proxy.newProxyInstance(MetricsStore.class.getClassLoader(),
                    new Class<?>[] {MetricsStore.class}, h);
        }
    }
}
