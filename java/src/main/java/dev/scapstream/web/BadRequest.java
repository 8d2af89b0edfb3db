package dev.scapstream.web;

/** A request the API refuses: answered with 400 and a one-line JSON error. */
final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
        super(message);
    }
}
