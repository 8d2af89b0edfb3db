package dev.scapstream.cli;

import java.util.List;

final class Filters {
    private Filters() {}

    /** Both filters (either may be empty): each parenthesised, so an "or" in one cannot escape it. */
    static String and(String a, String b) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        return "(" + a + ") and (" + b + ")";
    }

    /** sysdig style: the filter is the rest of the command line, joined with spaces. */
    static String join(List<String> words) {
        return words == null || words.isEmpty() ? "" : String.join(" ", words);
    }
}
