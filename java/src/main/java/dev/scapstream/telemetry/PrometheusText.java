package dev.scapstream.telemetry;

/** Writes Prometheus' text exposition format (version 0.0.4): HELP and TYPE once per family. */
public final class PrometheusText {
    private final StringBuilder out = new StringBuilder(4096);

    public PrometheusText counter(String name, String help, double value) {
        return family(name, help, "counter").sample(name, "", value);
    }

    public PrometheusText gauge(String name, String help, double value) {
        return family(name, help, "gauge").sample(name, "", value);
    }

    /** Starts a family whose samples carry labels; add them with {@link #sample}. */
    public PrometheusText family(String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} is "" or pairs "k", "v", ... */
    public PrometheusText sample(String name, String labelsText, double value) {
        out.append(name);
        if (!labelsText.isEmpty()) out.append('{').append(labelsText).append('}');
        out.append(' ').append(format(value)).append('\n');
        return this;
    }

    public static String label(String key, String value) {
        return key + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static String format(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v); // shortest exact form; Prometheus parses the E notation too
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
