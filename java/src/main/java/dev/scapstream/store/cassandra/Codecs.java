package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;

import java.nio.ByteBuffer;

/** The three column types the tables use, encoded without the driver's codec registry lookups. */
final class Codecs {
    // bigint, int and text encode the same in every native protocol version
    private static final ProtocolVersion V = ProtocolVersion.DEFAULT;

    private Codecs() {}

    static ByteBuffer bigint(long v) {
        return TypeCodecs.BIGINT.encodePrimitive(v, V);
    }

    static ByteBuffer integer(int v) {
        return TypeCodecs.INT.encodePrimitive(v, V);
    }

    static ByteBuffer text(String v) {
        return TypeCodecs.TEXT.encode(v, V);
    }
}
