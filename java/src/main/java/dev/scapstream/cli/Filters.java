package dev.scapstream.cli;

import java.util.List;

final class Filters {
    private Filters() {}

    /** sysdig style: the filter is the rest of the command line, joined with spaces. */
    static String join(List<String> words) {
        return words == null || words.isEmpty() ? "" : String.join(" ", words);
    }
}
