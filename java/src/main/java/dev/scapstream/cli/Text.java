package dev.scapstream.cli;

/** Trace strings shown on a terminal: clipped to a width, control characters escaped. */
public final class Text {
    private Text() {}

    public static String clip(String s, int width) {
        if (s == null) return "";
        return s.length() <= width ? s : s.substring(0, Math.max(0, width - 1)) + "~";
    }

    /** Trace strings are untrusted: control characters are shown escaped, never sent to the terminal. */
    public static String printable(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (b == null) b = new StringBuilder(s.substring(0, i));
                b.append(String.format("\\x%02x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
