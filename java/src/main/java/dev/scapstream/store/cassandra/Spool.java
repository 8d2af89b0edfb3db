package dev.scapstream.store.cassandra;

import dev.scapstream.store.StoreException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded on-disk queue of closed seconds that could not be written to Cassandra: one file per
 * second, named by sequence number, written to a temporary name, fsynced and renamed, so a crash
 * leaves whole files only. Seconds left from an earlier run are picked up at open. Past the bound
 * a new second is dropped (counted, and reported by the store) rather than the oldest, so what is
 * written on recovery is always a gap-free prefix of the outage.
 *
 * <p>Thread ownership: the store's writer appends, its drainer peeks and removes; both under this
 * object's lock (a few operations a second, never on the capture path).
 */
final class Spool {
    private static final String SUFFIX = ".second";

    private final Path dir;
    private final long maxBytes;
    private final ArrayDeque<Path> files = new ArrayDeque<>(); // oldest first; guarded by this
    private long bytes; // guarded by this
    private long nextSeq; // guarded by this
    private final AtomicLong droppedSeconds = new AtomicLong();
    private final AtomicLong droppedRows = new AtomicLong();
    private final AtomicLong spooledSeconds = new AtomicLong();

    Spool(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
            List<Path> found = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (n.endsWith(SUFFIX)) found.add(p);
                    else if (n.endsWith(".tmp")) Files.deleteIfExists(p); // an append cut short by a crash
                }
            }
            Collections.sort(found); // zero-padded sequence numbers: name order is append order
            for (Path p : found) {
                files.add(p);
                bytes += Files.size(p);
                nextSeq = Math.max(nextSeq, seq(p) + 1);
            }
        } catch (IOException | RuntimeException e) {
            throw new StoreException("spool " + dir + ": cannot open: " + e.getClass().getSimpleName() + " "
                    + e.getMessage());
        }
    }

    Path dir() {
        return dir;
    }

    /** Appends a second; false (and counted as dropped) when the spool is full. */
    synchronized boolean append(Prepared p) {
        byte[] data = PreparedCodec.encode(p);
        if (bytes + data.length > maxBytes) {
            droppedSeconds.incrementAndGet();
            droppedRows.addAndGet(p.batch().rowCount());
            return false;
        }
        Path file = dir.resolve(String.format("%016d", nextSeq++) + SUFFIX);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the first error is the one to report
            }
            throw new StoreException("spool " + dir + ": cannot write " + file.getFileName() + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        files.add(file);
        bytes += data.length;
        spooledSeconds.incrementAndGet();
        return true;
    }

    synchronized boolean isEmpty() {
        return files.isEmpty();
    }

    /** The oldest file, or null. */
    synchronized Path oldest() {
        return files.peekFirst();
    }

    /** Removes the oldest file once written (or set aside when it cannot be read). */
    synchronized void removeOldest(Path expected, boolean setAside) throws IOException {
        Path p = files.peekFirst();
        if (p == null || !p.equals(expected)) return;
        long size = Files.size(p);
        if (setAside) Files.move(p, dir.resolve(p.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
        else Files.delete(p);
        files.removeFirst();
        bytes -= size;
    }

    synchronized int seconds() {
        return files.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    long droppedSeconds() {
        return droppedSeconds.get();
    }

    long droppedRows() {
        return droppedRows.get();
    }

    /** Seconds that went through the spool since open. */
    long spooledSeconds() {
        return spooledSeconds.get();
    }

    private static long seq(Path p) {
        String n = p.getFileName().toString();
        try {
            return Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
