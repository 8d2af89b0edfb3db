package dev.scapstream.chisel;

/** Trace strings are untrusted: control characters are shown escaped, never sent to the terminal. */
final class Printable {
    private Printable() {}

    static String of(String s) {
        if (s == null || s.isEmpty()) return "<NA>"; // as sysdig shows a field it has no value for
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                if (b == null) b = new StringBuilder(s.substring(0, i));
                b.append(String.format("\\x%02x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
