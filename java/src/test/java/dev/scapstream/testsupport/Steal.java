package dev.scapstream.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's hypervisor steal so far, from /proc/stat. A sched_switch interval is wall time on a
 * CPU and so holds the steal that fell in it; the kernel's task clocks and cpuacct leave it out
 * (paravirt steal accounting). A CPU figure checked against those clocks may be over by at most the
 * steal of the interval, so that is what a check allows beyond its tolerance.
 */
public final class Steal {
    private static final long NS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

    private Steal() {}

    public static long ns() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return f.length > 8 ? Long.parseLong(f[8]) * NS_PER_TICK : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
