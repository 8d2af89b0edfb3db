package dev.scapstream.testsupport;

import java.io.Writer;
import java.util.concurrent.CountDownLatch;

/** A command's stderr kept as text, with a latch that opens once a given word appears in it. */
public final class WatchedWriter extends Writer {
    private final StringBuilder text = new StringBuilder();
    private final String word;
    public final CountDownLatch seen = new CountDownLatch(1);

    public WatchedWriter(String word) {
        this.word = word;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        text.append(buf, off, len);
        if (text.indexOf(word) >= 0) seen.countDown();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public synchronized String toString() {
        return text.toString();
    }
}
