package dev.scapstream.chisel;

import java.util.List;

/**
 * One of sysdig's chisels, by sysdig's name, category and arguments. Three kinds: a table of a
 * stored {@link dev.scapstream.view.View} (the pipeline's numbers, so it also runs on a store over
 * any past range), a table folded here from fields that libsinsp renders per event (for keys the
 * store does not hold, such as any field of fdbytes_by), and a stream of events that libsinsp's
 * filter selects and its formatter renders.
 */
public sealed interface Chisel permits ViewChisel, FieldTableChisel, IoBytesChisel, StreamChisel, StateChisel, SpyUsersChisel {
    String name();

    /** sysdig's category ("CPU Usage", "I/O", "Net", "Performance", "Errors", "Security"). */
    String category();

    String description();

    /** The chisel's own arguments (sysdig's), given after its name and before the filter. */
    List<Arg> args();

    /** Where it runs: a store over --from/--to only for tables of stored views. */
    default boolean runsOnStore() {
        return false;
    }

    /** One argument: its name, whether it may be left out, and what it is. */
    record Arg(String name, boolean optional, String description) {
        /** A number of ms, as fileslower MS takes it. */
        static Arg ms() {
            return new Arg("MS", false, "minimum latency in milliseconds");
        }
    }

    /** Splits a chisel's words into its arguments and the filter, or says what is missing. */
    default List<String> arguments(List<String> words) {
        int required = (int) args().stream().filter(a -> !a.optional()).count();
        if (words.size() < required) {
            throw new IllegalArgumentException("needs " + String.join(" ", args().stream().map(Arg::name).toList()));
        }
        int n = Math.min(words.size(), args().size());
        // an optional argument is taken only when it does not look like a filter (spy_file [FILE] proc.name=cat)
        for (int i = required; i < n; i++) {
            String w = words.get(i);
            if (w.contains("=") || w.contains(" ") || w.equals("and") || w.equals("or") || w.equals("not")) return words.subList(0, i);
        }
        return words.subList(0, n);
    }
}
