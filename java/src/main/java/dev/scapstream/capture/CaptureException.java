package dev.scapstream.capture;

/** A capture problem, with a one-line message fit to print as is. */
public final class CaptureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CaptureException(String message) {
        super(message);
    }
}
