package dev.scapstream.capture;

import java.nio.ByteBuffer;

import static dev.scapstream.capture.RecordLayout.*;

/**
 * Walks the records of a batch in order: dictionary records update the {@link Dictionaries},
 * event records go to the handler through one reused {@link EventView}. Allocation-free for events.
 */
public final class BatchDecoder {
    private final Dictionaries dictionaries;
    private final EventView view = new EventView();

    public BatchDecoder(Dictionaries dictionaries) {
        this.dictionaries = dictionaries;
    }

    public Dictionaries dictionaries() {
        return dictionaries;
    }

    /** Decodes used bytes of buf; returns the number of events handed to the handler. */
    public int decode(ByteBuffer buf, int used, EventHandler handler) {
        int at = 0;
        int events = 0;
        while (at + 8 <= used) {
            int kind = buf.getShort(at + KIND) & 0xffff;
            int len = buf.getShort(at + LEN) & 0xffff;
            if (len < 8 || at + len > used) {
                throw new CaptureException("corrupt batch from the native shim at offset " + at);
            }
            if (kind == REC_EVENT) {
                view.point(buf, at);
                handler.onEvent(view, dictionaries);
                events++;
            } else if (kind == REC_SKIPPED) {
                handler.onSkippedEnters(buf.getLong(at + 8), buf.getLong(at + 16));
            } else {
                dictionaries.apply(buf, at, kind);
            }
            at += len;
        }
        return events;
    }
}
