package dev.scapstream.capture;

import com.sun.jna.Memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A native buffer the shim fills with records, and a direct ByteBuffer over the same memory for
 * Java to read them without copying. Reused batch after batch.
 */
public final class Batch {
    public static final int DEFAULT_BYTES = 4 << 20;

    final Memory memory;
    private final ByteBuffer buffer;
    int used;
    int events;
    int status;

    public Batch() {
        this(DEFAULT_BYTES);
    }

    public Batch(int bytes) {
        memory = new Memory(bytes);
        buffer = memory.getByteBuffer(0, bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int capacity() {
        return buffer.capacity();
    }

    /** Bytes of records in the batch. */
    public int used() {
        return used;
    }

    /** Number of event records in the batch. */
    public int events() {
        return events;
    }

    /** True when the capture has no more events (end of file, or a stopped live capture). */
    public boolean endOfStream() {
        return status == NativeShim.EOF;
    }
}
