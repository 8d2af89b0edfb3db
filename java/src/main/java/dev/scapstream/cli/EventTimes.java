package dev.scapstream.cli;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/** Event times given on the command line: epoch seconds (fractions allowed) or ISO-8601, in ns since the epoch. */
final class EventTimes {
    private EventTimes() {}

    static long parseNs(String flag, String value) {
        String v = value.strip();
        try {
            if (v.matches("\\d+(\\.\\d{1,9})?")) {
                return new BigDecimal(v).movePointRight(9).longValueExact();
            }
            Instant t;
            if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) {
                t = OffsetDateTime.parse(v).toInstant();
            } else {
                // no zone: the local one, as sysdig prints %evt.time
                t = LocalDateTime.parse(v).atZone(ZoneId.systemDefault()).toInstant();
            }
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            throw new Main.UserError(flag + " '" + value + "': not a time (epoch seconds such as 1795321901.5, "
                    + "or ISO-8601 such as 2026-11-22T04:31:42Z)");
        }
    }
}
