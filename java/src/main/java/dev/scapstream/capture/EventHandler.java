package dev.scapstream.capture;

/** Receives events in stream order; the view is only valid during the call. */
@FunctionalInterface
public interface EventHandler {
    void onEvent(EventView event, Dictionaries dictionaries);
}
