package dev.scapstream.cli;

import dev.scapstream.capture.FormattedEvents;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/** The loop of `events` (and of bench-events' measured path): native batches of lines, written as they are. */
final class EventPrinter {
    private EventPrinter() {}

    /**
     * Writes every batch until the stream ends or {@code stop} says so. Returns the lines written, or
     * -1 when the reader went away (EPIPE: `| head`), which ends the output without an error.
     */
    static long copy(FormattedEvents events, WritableByteChannel out, int waitMs, BooleanSupplier stop) {
        return copy(events, out, waitMs, stop, n -> { });
    }

    /** The same, telling {@code written} the lines written so far after every batch. */
    static long copy(FormattedEvents events, WritableByteChannel out, int waitMs, BooleanSupplier stop, LongConsumer written) {
        long printed = 0;
        boolean more;
        do {
            more = events.next(waitMs);
            printed += events.lineCount();
            if (!write(out, events.bytes())) return -1;
            written.accept(printed);
        } while (more && !stop.getAsBoolean());
        events.throwIfFailed();
        return printed;
    }

    private static boolean write(WritableByteChannel out, ByteBuffer bytes) {
        try {
            while (bytes.hasRemaining()) out.write(bytes);
            return true;
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("Broken pipe") || msg.contains("Stream closed")) return false;
            throw new Main.UserError("writing the events: " + msg);
        }
    }
}
