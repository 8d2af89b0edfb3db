package dev.scapstream.chisel;

import java.util.List;
import java.util.regex.Pattern;

/** A filter or format with the chisel's arguments in it ({0}, {1}, ...), each checked for its kind first. */
final class Template {
    private static final Pattern IP = Pattern.compile("[0-9A-Fa-f:.]+(/[0-9]{1,3})?");
    private static final Pattern FIELD = Pattern.compile("[a-z0-9_]+(\\.[A-Za-z0-9_]+)+(\\[[^\\]\\s]+\\])?");

    private Template() {}

    static String fill(String template, List<String> args) {
        String s = template;
        for (int i = 0; i < args.size(); i++) s = s.replace("{" + i + "}", args.get(i));
        return s.replaceAll("\\{[0-9]+\\}", "");
    }

    /** An argument's value, refused with one line when it is not of its kind (it goes into a filter). */
    static String check(Chisel.Arg arg, String value) {
        switch (arg.name()) {
            case "MS" -> {
                try {
                    long ms = Long.parseLong(value);
                    if (ms < 0) throw new NumberFormatException();
                    return Long.toString(ms * 1_000_000L);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad MS '" + value + "' (a whole number of milliseconds >= 0)");
                }
            }
            case "PORT" -> {
                try {
                    int p = Integer.parseInt(value);
                    if (p < 0 || p > 65535) throw new NumberFormatException();
                    return value;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad PORT '" + value + "' (0..65535)");
                }
            }
            case "IP" -> {
                if (!IP.matcher(value).matches()) throw new IllegalArgumentException("bad IP '" + value + "' (an IPv4 or IPv6 address)");
                return value;
            }
            case "FIELD" -> {
                if (!FIELD.matcher(value).matches()) throw new IllegalArgumentException("bad FIELD '" + value + "' (a libsinsp field like proc.name)");
                return value;
            }
            case "FILE" -> {
                if (value.contains("\"") || value.contains("\n")) throw new IllegalArgumentException("bad FILE '" + value + "'");
                return "fd.name=\"" + value + "\" and ";
            }
            default -> {
                if (value.contains("\"") || value.contains("\n")) throw new IllegalArgumentException("bad " + arg.name() + " '" + value + "'");
                return value;
            }
        }
    }
}
