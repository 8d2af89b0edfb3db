package dev.scapstream.store;

/** A storage failure, with a one-line message that names the store (file, cluster) and is fit to print as is. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
