package dev.scapstream.web;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Query parameters of one API call, validated: unknown or repeated names, malformed numbers and
 * strings with control characters are refused (400) rather than guessed at.
 */
final class Params {
    static final int MAX_TEXT = 512;

    private final Map<String, String> values;

    private Params(Map<String, String> values) {
        this.values = values;
    }

    static Params parse(URI uri, Set<String> allowed) {
        Map<String, String> m = new HashMap<>();
        String q = uri.getRawQuery();
        if (q != null && !q.isEmpty()) {
            for (String part : q.split("&")) {
                if (part.isEmpty()) continue;
                int eq = part.indexOf('=');
                String k = decode(eq < 0 ? part : part.substring(0, eq));
                String v = eq < 0 ? "" : decode(part.substring(eq + 1));
                if (!allowed.contains(k)) throw new BadRequest("unknown parameter '" + clip(k) + "' (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                if (m.put(k, v) != null) throw new BadRequest("parameter '" + k + "' given twice");
            }
        }
        return new Params(m);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("malformed query string");
        }
    }

    /** A text value (host, container id), or null when absent. */
    String text(String name) {
        String v = values.get(name);
        if (v == null) return null;
        if (v.isEmpty()) throw new BadRequest(name + ": empty");
        if (v.length() > MAX_TEXT) throw new BadRequest(name + ": longer than " + MAX_TEXT + " characters");
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) throw new BadRequest(name + ": control character");
        }
        return v;
    }

    String requireText(String name) {
        String v = text(name);
        if (v == null) throw new BadRequest(name + ": required");
        return v;
    }

    /** A non-negative integer, or null when absent. */
    Long number(String name) {
        String v = values.get(name);
        if (v == null) return null;
        if (v.isEmpty() || v.length() > 19 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadRequest(name + ": not a non-negative integer: '" + clip(v) + "'");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadRequest(name + ": too large: '" + clip(v) + "'");
        }
    }

    long requireNumber(String name) {
        Long v = number(name);
        if (v == null) throw new BadRequest(name + ": required");
        return v;
    }

    private static String clip(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 40; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
