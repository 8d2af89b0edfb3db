package dev.scapstream.capture;

import java.nio.file.Path;

/**
 * Where and how a capture records its events, as sysdig's {@code -w} with {@code -C}, {@code -G},
 * {@code -W} and {@code -z}: one file, or a rotated set of files (a directory gets files named by
 * their start time). Zero means no limit.
 *
 * @param path     a file, or a directory: one that exists, or a name ending in '/' (kept as text,
 *                 since a {@link Path} drops the slash)
 * @param maxBytes a new file once one reaches this size ({@code -C})
 * @param seconds  a new file at each multiple of this many seconds of event time ({@code -G})
 * @param maxFiles keep at most this many files, deleting the oldest ({@code -W})
 * @param maxTotal keep the set under this many bytes, deleting the oldest files
 * @param gzip     write gzip, named {@code .gz} ({@code -z})
 */
public record RecordSpec(String path, long maxBytes, int seconds, int maxFiles, long maxTotal, boolean gzip) {
    public static RecordSpec file(Path path) {
        return new RecordSpec(path.toString(), 0, 0, 0, 0, false);
    }
}
