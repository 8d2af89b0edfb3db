package dev.scapstream.capture;

import dev.scapstream.testsupport.FakeContainers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Live capture with the modern eBPF probe: a known workload runs inside a fake docker container (a
 * v1 cgroup whose path looks like docker's) and its events must carry that container id, its
 * process and its exact bytes written. Skipped, with the reason, where live capture is impossible.
 */
@Tag("live")
class LiveCaptureTest {
    @TempDir
    Path tmp;

    @Test
    void workloadInFakeDockerContainerIsCapturedWithContainerIdProcessAndExactBytes() throws Exception {
        String why = CaptureSource.liveUnavailableReason(LiveOptions.Engine.MODERN_BPF);
        if (why == null) why = FakeContainers.unavailableReason();
        if (why != null) {
            System.out.println("SKIP live capture: " + why);
            Assumptions.abort(why);
        }
        FakeContainers fakes = new FakeContainers();
        FakeContainers.Container box = fakes.create(FakeContainers.Shape.DOCKER_CGROUPFS);
        String id = box.id();
        Path out = tmp.resolve("written-in-container.bin");
        int blocks = 300, blockSize = 4096;

        Set<Long> pidsInContainer = new HashSet<>();
        AtomicLong bytesToFile = new AtomicLong();
        AtomicReference<String> runtime = new AtomicReference<>();
        AtomicReference<String> ddComm = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<CaptureSource> opened = new AtomicReference<>();
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        try {
            BatchDecoder decoder = new BatchDecoder(new Dictionaries());
            EventHandler handler = (ev, d) -> {
                ContainerInfo c = d.container(ev.containerKey());
                if (c == null || !id.equals(c.id)) return;
                ThreadInfo t = d.thread(ev.tid());
                if (t != null) pidsInContainer.add(t.pid);
                runtime.set(c.runtime);
                if (t != null && t.comm.equals("dd")) ddComm.set(t.comm);
                FdInfo fd = d.fd(ev.fdKey());
                if (fd != null && fd.name.equals(out.toString())) bytesToFile.addAndGet(ev.bytesWritten());
            };
            // the capture thread owns the source: it opens, reads, stops and closes it
            Thread capture = new Thread(() -> {
                try (CaptureSource source = CaptureSource.openLive(LiveOptions.defaults())) {
                    opened.set(source);
                    source.start(); // the workload starts once this is on
                    ready.countDown();
                    Batch batch = new Batch();
                    while (!stop.get()) {
                        source.next(batch, 50);
                        decoder.decode(batch.buffer(), batch.used(), handler);
                    }
                    source.stop();
                    for (int i = 0; i < 20; i++) {
                        source.next(batch, 20);
                        decoder.decode(batch.buffer(), batch.used(), handler);
                        if (batch.events() == 0) break;
                    }
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    ready.countDown();
                }
            }, "capture");
            capture.start();
            ready.await();
            assertNull(failure.get(), () -> "capture thread failed: " + failure.get());
            StringBuilder enter = new StringBuilder();
            for (String h : FakeContainers.HIERARCHIES) {
                enter.append("echo $$ > /sys/fs/cgroup/").append(h).append(box.cgroup()).append("/cgroup.procs; ");
            }
            Process p = new ProcessBuilder("sh", "-c", enter + "exec dd if=/dev/zero of=" + out
                    + " bs=" + blockSize + " count=" + blocks + " status=none").inheritIO().start();
            long pid = p.pid();
            assertEquals(0, p.waitFor(), "workload exit code");
            Thread.sleep(1000); // let the probe's buffers drain
            stop.set(true);
            capture.join(30_000);
            assertNull(failure.get(), () -> "capture thread failed: " + failure.get());
            assertEquals((long) blocks * blockSize, Files.size(out), "the workload wrote what it should");
            assertTrue(pidsInContainer.contains(pid),
                    "events of pid " + pid + " carry container " + id + "; pids seen there: " + pidsInContainer);
            assertEquals("dd", ddComm.get(), "the workload's process is dd in the container");
            assertEquals((long) blocks * blockSize, bytesToFile.get(), "exact bytes written to " + out);
            assertEquals("docker", runtime.get());
            assertEquals(0L, opened.get().stats().getOrDefault("n_drops", 0L), "no drops at this rate (the owner's last snapshot)");
        } finally {
            fakes.close();
        }
    }
}
