package dev.scapstream.capture;

/** Receives events in stream order; the view is only valid during the call. */
@FunctionalInterface
public interface EventHandler {
    void onEvent(EventView event, Dictionaries dictionaries);

    /** {@code count} syscall enters of the second of {@code ts} were read without records. */
    default void onSkippedEnters(long ts, long count) {}
}
