package dev.scapstream.capture;

/** Names of name ids ("read", "sched_switch", ...), asked of libsinsp once per id and cached. */
public final class EventNames {
    private static volatile String[] names;

    private EventNames() {}

    public static String name(int nameId) {
        String[] n = names;
        if (n == null) {
            NativeShim.ensureLoaded();
            n = new String[NativeShim.ss_name_id_limit()];
            names = n;
        }
        if (nameId < 0 || nameId >= n.length) return "unknown";
        String s = n[nameId];
        if (s == null) {
            byte[] out = new byte[64];
            NativeShim.ss_name(nameId, out, out.length);
            s = NativeShim.text(out);
            n[nameId] = s;
        }
        return s;
    }
}
