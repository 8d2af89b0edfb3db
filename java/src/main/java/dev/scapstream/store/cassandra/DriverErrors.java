package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.ConnectionInitException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.servererrors.QueryExecutionException;
import dev.scapstream.store.StoreException;

import java.util.concurrent.TimeoutException;

/**
 * The driver's failures as the one-line {@link StoreException} texts the CLI prints, each starting
 * with the store's name ({@code where}). The driver's own messages span lines and name internal
 * channels; these say which node failed and how. Stateless: any thread.
 */
final class DriverErrors {
    private DriverErrors() {}

    /** Thrown by a write when Cassandra did not take the second for reasons that pass (outage, overload). */
    static final class Unavailable extends StoreException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A failure while connecting, applying the schema or preparing; anything else is returned as is. */
    static RuntimeException openFailed(String where, RuntimeException e) {
        if (e instanceof AuthenticationException) {
            return new StoreException(where + ": authentication refused: " + oneLine(e), e);
        }
        if (e instanceof AllNodesFailedException a) {
            return new StoreException(where + ": cannot reach any node: " + reasons(a), e);
        }
        if (e instanceof DriverException || e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
            return new StoreException(where + ": cannot open: " + oneLine(e), e);
        }
        if (e instanceof StoreException) return new StoreException(where + ": " + e.getMessage(), e);
        return e;
    }

    /** A second's write that failed: {@link Unavailable} when the failure passes, so it can be spooled. */
    static StoreException writeFailed(String where, Throwable e) {
        String m = where + ": write failed: " + (e instanceof AllNodesFailedException a ? reasons(a) : oneLine(e));
        return isTransient(e) ? new Unavailable(m, e) : new StoreException(m, e);
    }

    /** A read that failed; {@code what} names it ("hosts", "the span", a table). */
    static StoreException readFailed(String where, String what, DriverException e) {
        return new StoreException(where + ": reading " + what + " failed: " + oneLine(e), e);
    }

    /** Failures that pass: no node, timeouts, overload, lost connections. Not: bad statements, auth. */
    static boolean isTransient(Throwable e) {
        return e instanceof AllNodesFailedException || e instanceof DriverTimeoutException
                || e instanceof QueryExecutionException // timeouts, unavailable, overload, read/write failures
                || e instanceof ClosedConnectionException || e instanceof HeartbeatException
                || e instanceof BusyConnectionException || e instanceof ConnectionInitException
                || e instanceof TimeoutException;
    }

    /** Per node, what went wrong (the driver's own message lists them over several lines). */
    static String reasons(AllNodesFailedException e) {
        StringBuilder b = new StringBuilder();
        e.getAllErrors().forEach((node, errors) -> {
            if (b.length() > 0) b.append("; ");
            java.net.SocketAddress a = node.getEndPoint().resolve();
            b.append(a instanceof java.net.InetSocketAddress i ? i.getHostString() + ":" + i.getPort() : a.toString());
            b.append(": ");
            b.append(errors.isEmpty() ? "failed" : cause(errors.get(errors.size() - 1)));
        });
        if (b.length() == 0) b.append(oneLine(e));
        return b.toString();
    }

    /** The informative part of a connection failure: the socket's own error, else the driver's text. */
    private static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException) {
                return oneLine(t).replaceAll("^.*: ", "").toLowerCase(java.util.Locale.ROOT);
            }
        }
        String m = oneLine(e).replaceAll("\\[s\\d+\\|[^\\]]*\\]\\s*", "");
        if (m.contains("failed to send request") || m.contains("ClosedChannel")) {
            return "connection refused or closed"; // netty's stackless exception says no more
        }
        return m;
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
