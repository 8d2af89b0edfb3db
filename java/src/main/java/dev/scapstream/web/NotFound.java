package dev.scapstream.web;

/** The thing asked for is not in the store: answered with 404 and a one-line JSON error. */
final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
        super(message);
    }
}
