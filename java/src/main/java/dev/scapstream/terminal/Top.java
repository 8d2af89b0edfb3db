package dev.scapstream.terminal;

import dev.scapstream.cli.Text;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.view.Catalog;
import dev.scapstream.view.Column;
import dev.scapstream.view.Scope;
import dev.scapstream.view.Table;
import dev.scapstream.view.Unit;
import dev.scapstream.view.View;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * What `top` shows and how its keys change it, without a terminal: a stack of views (Enter
 * drills down, Backspace goes back), a time window over the rows (files play through it, live
 * follows the newest second, a store's moves with the arrows), sort, pause, menus and a pager.
 * {@link #render} gives the screen as text lines; {@link TopTerminal} draws them. One thread (the
 * terminal's) owns an instance.
 */
public final class Top {
    /** Where the rows come from. */
    public interface Source {
        MetricsStore store();

        String host();

        /** [first, last + 1) epoch seconds held so far, or null when nothing is. */
        long[] span();

        /** How time moves: files play, live follows the newest second, a store stays. */
        Mode mode();

        String describe();

        /** Applies a sysdig filter (files, live: the events are read again through it); an error line or null. */
        String filter(String filter);

        /** A process's events in [fromTs, toTs): its I/O payloads (echo) or all of them (dig); or one error line. */
        List<String> events(long pid, long fromTs, long toTs, boolean echo);
    }

    public enum Mode { FILES, LIVE, STORE }

    public enum Key { UP, DOWN, PAGE_UP, PAGE_DOWN, HOME, END, ENTER, BACK, LEFT, RIGHT, VIEWS, FILTER, SORT, SORT_PREV,
        SORT_NEXT, PAUSE, HELP, ECHO, DIG, ESCAPE, QUIT }

    /** The screen: its lines, which one is highlighted (-1: none), and whether a prompt waits for text. */
    public record Screen(List<String> lines, int highlight, String prompt) {}

    private record Frame(View<?> view, Scope scope, String label, int sort, int selected) {
        Frame with(int sort, int selected) {
            return new Frame(view, scope, label, sort, selected);
        }
    }

    private enum Overlay { NONE, VIEWS, DRILLS, SORT, HELP, PAGER, FILTER }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Source source;
    private final long stepSeconds;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private long fromTs, toTs;
    private boolean paused, quit;
    private Table table;
    private String status = "";
    private String filter = "";
    private Overlay overlay = Overlay.NONE;
    private int menuSelected;
    private List<String> pager = List.of();
    private int pagerTop;
    private StringBuilder input = new StringBuilder();
    private int height = 24;

    /**
     * @param window the first window (null: files start at their first second, live and a store
     *               at their last {@code stepSeconds})
     */
    public Top(Source source, View<?> view, long stepSeconds, long[] window, String filter) {
        this.source = source;
        this.stepSeconds = Math.max(1, stepSeconds);
        this.filter = filter == null ? "" : filter;
        long[] span = source.span();
        if (window != null) {
            fromTs = window[0];
            toTs = window[1];
        } else if (span != null) {
            if (source.mode() == Mode.FILES) {
                fromTs = span[0];
                toTs = Math.min(span[1], span[0] + this.stepSeconds);
            } else {
                toTs = span[1];
                fromTs = Math.max(span[0], toTs - this.stepSeconds);
            }
        } else {
            toTs = Instant.now().getEpochSecond();
            fromTs = toTs - this.stepSeconds;
        }
        stack.push(new Frame(view, Scope.host(source.host(), fromTs, Math.max(toTs, fromTs + 1)), "", view.sortColumn(), 0));
        evaluate();
    }

    /** A prompt (the filter) is open: keys are text. */
    public boolean prompting() {
        return overlay == Overlay.FILTER;
    }

    public boolean quit() {
        return quit;
    }

    public long[] window() {
        return new long[] {fromTs, toTs};
    }

    public Table table() {
        return table;
    }

    /** The refresh tick (every -d): files step forward, live follows the newest second; then the rows are read again. */
    public void tick() {
        if (paused || overlay == Overlay.PAGER) return;
        long[] span = source.span();
        if (span != null) {
            switch (source.mode()) {
                case FILES -> {
                    if (toTs < span[1]) {
                        fromTs = toTs;
                        toTs = Math.min(span[1], fromTs + stepSeconds);
                    }
                }
                case LIVE -> {
                    toTs = span[1];
                    fromTs = Math.max(span[0], toTs - stepSeconds);
                }
                case STORE -> { }
            }
        }
        evaluate();
    }

    private void evaluate() {
        Frame f = stack.peek();
        long to = Math.max(toTs, fromTs + 1);
        Scope s = f.scope().range(fromTs, to);
        s = new Scope(s.host(), s.containerId(), s.pid(), s.fromTs(), s.toTs(), resolution(to - fromTs));
        try {
            table = f.view().evaluate(source.store(), s, f.sort());
        } catch (RuntimeException e) {
            status = "cannot read the rows: " + oneLine(e.getMessage());
            table = new Table(f.view(), s, f.sort(), List.of());
        }
        int n = table.rows().size();
        if (f.selected() >= n && n > 0) replaceTop(f.with(f.sort(), n - 1));
    }

    /** Stored rollups for long windows: per second up to 10 min, 10 s up to 6 h, hours up to 60 days. */
    public static int resolution(long seconds) {
        if (seconds <= 600) return 1;
        if (seconds <= 6 * 3600) return 10;
        if (seconds <= 60L * 86400) return 3600;
        return 86400;
    }

    private void replaceTop(Frame f) {
        stack.pop();
        stack.push(f);
    }

    /** Text typed at a prompt (the filter): one character. */
    public void type(char c) {
        if (overlay == Overlay.FILTER && c >= 0x20 && c != 0x7f) input.append(c);
    }

    public void press(Key k) {
        status = "";
        switch (overlay) {
            case FILTER -> {
                switch (k) {
                    case ENTER -> {
                        overlay = Overlay.NONE;
                        String f = input.toString().strip();
                        String err = source.filter(f);
                        if (err != null) status = oneLine(err);
                        else {
                            filter = f;
                            status = f.isEmpty() ? "filter cleared" : "";
                        }
                        evaluate();
                    }
                    case BACK -> {
                        if (!input.isEmpty()) input.setLength(input.length() - 1);
                    }
                    case ESCAPE, QUIT -> overlay = Overlay.NONE;
                    default -> { }
                }
                return;
            }
            case VIEWS, DRILLS, SORT -> {
                menu(k);
                return;
            }
            case HELP -> {
                if (k == Key.QUIT) quit = true;
                overlay = Overlay.NONE;
                return;
            }
            case PAGER -> {
                pagerKey(k);
                return;
            }
            case NONE -> { }
        }
        Frame f = stack.peek();
        int n = table.rows().size();
        int page = Math.max(1, height - 5);
        switch (k) {
            case UP -> select(f.selected() - 1);
            case DOWN -> select(f.selected() + 1);
            case PAGE_UP -> select(f.selected() - page);
            case PAGE_DOWN -> select(f.selected() + page);
            case HOME -> select(0);
            case END -> select(n - 1);
            case ENTER -> drill();
            case BACK, ESCAPE -> {
                if (stack.size() > 1) {
                    stack.pop();
                    evaluate();
                }
            }
            case LEFT, RIGHT -> move(k == Key.LEFT ? -1 : 1);
            case VIEWS -> open(Overlay.VIEWS, Catalog.ALL.indexOf(f.view()));
            case SORT -> open(Overlay.SORT, visible(f.view()).indexOf(f.sort()));
            case SORT_PREV, SORT_NEXT -> {
                List<Integer> cols = visible(f.view());
                int at = cols.indexOf(f.sort());
                int next = cols.get(Math.floorMod(at + (k == Key.SORT_NEXT ? 1 : -1), cols.size()));
                replaceTop(f.with(next, f.selected()));
                evaluate();
            }
            case FILTER -> {
                overlay = Overlay.FILTER;
                input = new StringBuilder(filter);
            }
            case PAUSE -> paused = !paused;
            case HELP -> overlay = Overlay.HELP;
            case ECHO, DIG -> events(k == Key.ECHO);
            case QUIT -> quit = true;
            default -> { }
        }
    }

    private void select(int i) {
        Frame f = stack.peek();
        int n = table.rows().size();
        replaceTop(f.with(f.sort(), Math.max(0, Math.min(n - 1, i))));
    }

    private void open(Overlay o, int selected) {
        overlay = o;
        menuSelected = Math.max(0, selected);
    }

    private List<String> menuItems() {
        Frame f = stack.peek();
        List<String> items = new ArrayList<>();
        switch (overlay) {
            case VIEWS -> Catalog.ALL.forEach(v -> items.add(String.format("%-12s %s", v.title(), v.description())));
            case DRILLS -> f.view().drills().forEach(d -> items.add(Catalog.byId(d.viewId()).title()));
            case SORT -> visible(f.view()).forEach(i -> items.add(f.view().columns().get(i).header()));
            default -> { }
        }
        return items;
    }

    private void menu(Key k) {
        int n = menuItems().size();
        switch (k) {
            case UP -> menuSelected = Math.max(0, menuSelected - 1);
            case DOWN -> menuSelected = Math.min(n - 1, menuSelected + 1);
            case ENTER -> {
                Overlay o = overlay;
                overlay = Overlay.NONE;
                Frame f = stack.peek();
                switch (o) {
                    case VIEWS -> {
                        View<?> v = Catalog.ALL.get(menuSelected);
                        // a new view keeps the drilled-down scope (a container's files, say)
                        replaceTop(new Frame(v, f.scope(), f.label(), v.sortColumn(), 0));
                    }
                    case SORT -> replaceTop(f.with(visible(f.view()).get(menuSelected), f.selected()));
                    case DRILLS -> drillInto(f.view().drills().get(menuSelected));
                    default -> { }
                }
                evaluate();
            }
            case ESCAPE, BACK, QUIT -> overlay = Overlay.NONE;
            default -> { }
        }
    }

    private void drill() {
        Frame f = stack.peek();
        List<View.Drill> drills = f.view().drills();
        if (drills.isEmpty() || table.rows().isEmpty()) {
            status = drills.isEmpty() ? f.view().title() + " has nothing below it" : "no row to open";
            return;
        }
        if (drills.size() == 1) {
            drillInto(drills.get(0));
            evaluate();
        } else {
            open(Overlay.DRILLS, 0);
        }
    }

    private void drillInto(View.Drill d) {
        Frame f = stack.peek();
        Object[] row = table.rows().get(f.selected());
        View<?> target = Catalog.byId(d.viewId());
        Scope s = f.view().narrow(d, f.scope(), row);
        stack.push(new Frame(target, s, label(f.view(), row), target.sortColumn(), 0));
    }

    /** "container web (3f2a9c1b7d4e)" or "process 1234 nginx": where a drill-down went. */
    private static String label(View<?> v, Object[] row) {
        int name = v.indexOf("NAME"), id = v.indexOf("ID"), pid = v.indexOf("PID");
        if (v == Catalog.CONTAINERS) return "container " + Text.printable(String.valueOf(row[name])) + " (" + row[id] + ")";
        if (pid >= 0) return "process " + row[pid] + (name >= 0 ? " " + Text.printable(String.valueOf(row[name])) : "");
        return v.title();
    }

    private void move(int dir) {
        long width = Math.max(1, toTs - fromTs);
        long[] span = source.span();
        long from = fromTs + dir * width;
        if (span != null && (from + width <= span[0] || from >= span[1])) {
            status = dir < 0 ? "the start of the data" : "the end of the data";
            return;
        }
        fromTs = from;
        toTs = from + width;
        if (source.mode() != Mode.STORE) paused = true; // a window picked by hand stays
        evaluate();
    }

    private void events(boolean echo) {
        Frame f = stack.peek();
        int pidCol = f.view().indexOf("PID");
        if (pidCol < 0 || table.rows().isEmpty()) {
            status = (echo ? "echo" : "dig") + " needs a selected process";
            return;
        }
        long pid = (Long) table.rows().get(f.selected())[pidCol];
        List<String> lines = source.events(pid, fromTs, Math.max(toTs, fromTs + 1), echo);
        pager = new ArrayList<>();
        pager.add((echo ? "Echo (I/O payloads)" : "Dig (events)") + " of process " + pid + ", " + range()
                + " - Esc or Backspace to go back");
        pager.addAll(lines);
        pagerTop = 0;
        overlay = Overlay.PAGER;
    }

    private void pagerKey(Key k) {
        int page = Math.max(1, height - 2);
        switch (k) {
            case UP -> pagerTop--;
            case DOWN -> pagerTop++;
            case PAGE_UP -> pagerTop -= page;
            case PAGE_DOWN -> pagerTop += page;
            case HOME -> pagerTop = 0;
            case END -> pagerTop = pager.size();
            case ESCAPE, BACK, ECHO, DIG -> overlay = Overlay.NONE;
            case QUIT -> quit = true;
            default -> { }
        }
        pagerTop = Math.max(0, Math.min(pagerTop, Math.max(0, pager.size() - page)));
    }

    private static List<Integer> visible(View<?> v) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < v.columns().size(); i++) if (!v.columns().get(i).hidden()) out.add(i);
        return out;
    }

    private String range() {
        return CLOCK.format(Instant.ofEpochSecond(fromTs)) + " .. " + CLOCK.format(Instant.ofEpochSecond(toTs))
                + " UTC (" + (toTs - fromTs) + " s)";
    }

    /** The screen at this size. */
    public Screen render(int width, int height) {
        this.height = height;
        List<String> out = new ArrayList<>();
        Frame f = stack.peek();
        String where = f.label().isEmpty() ? "" : " of " + f.label();
        out.add(fit("scapstream top - " + f.view().title() + where + " | " + range()
                + (paused ? " | PAUSED" : ""), width));
        out.add(fit(source.describe() + (filter.isEmpty() ? "" : " | filter: " + Text.printable(filter))
                + (status.isEmpty() ? "" : " | " + status), width));
        if (overlay == Overlay.PAGER) {
            List<String> lines = new ArrayList<>();
            lines.add(fit(pager.get(0), width));
            for (int i = 1 + pagerTop; i < pager.size() && lines.size() < height - 1; i++) lines.add(fit(pager.get(i), width));
            return new Screen(lines, -1, null);
        }
        if (overlay == Overlay.HELP) {
            for (String h : HELP) out.add(fit(h, width));
            return new Screen(out, -1, null);
        }
        List<Integer> cols = visible(f.view());
        int[] widths = widths(f.view(), cols, width);
        StringBuilder head = new StringBuilder();
        for (int c = 0; c < cols.size(); c++) {
            Column<?> col = f.view().columns().get(cols.get(c));
            String h = col.header() + (cols.get(c) == f.sort() ? (col.numeric() ? "v" : "^") : "");
            head.append(cell(h, widths[c], col.numeric())).append(c + 1 < cols.size() ? " " : "");
        }
        out.add(fit(head.toString(), width));
        int rowsRoom = Math.max(1, height - out.size() - 1);
        int sel = f.selected();
        int first = Math.max(0, Math.min(sel - rowsRoom / 2, table.rows().size() - rowsRoom));
        int highlight = -1;
        long windowNs = Math.max(1, toTs - fromTs) * 1_000_000_000L;
        for (int r = first; r < table.rows().size() && r < first + rowsRoom; r++) {
            Object[] row = table.rows().get(r);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols.size(); c++) {
                Column<?> col = f.view().columns().get(cols.get(c));
                line.append(cell(format(row[cols.get(c)], col.unit(), windowNs), widths[c], col.numeric()))
                        .append(c + 1 < cols.size() ? " " : "");
            }
            if (r == sel) highlight = out.size();
            out.add(fit(line.toString(), width));
        }
        if (table.rows().isEmpty()) out.add(fit("(no rows in this window)", width));
        if (overlay == Overlay.VIEWS || overlay == Overlay.DRILLS || overlay == Overlay.SORT) {
            // the menu replaces the table's rows, under its own title
            while (out.size() > 2) out.remove(out.size() - 1);
            out.add(switch (overlay) {
                case VIEWS -> "Views (Enter picks, Esc closes):";
                case DRILLS -> "Open (Enter picks, Esc closes):";
                default -> "Sort by (Enter picks, Esc closes):";
            });
            List<String> items = menuItems();
            for (int i = 0; i < items.size(); i++) {
                if (i == menuSelected) highlight = out.size();
                out.add(fit("  " + items.get(i), width));
            }
        }
        while (out.size() < height - 1) out.add("");
        String prompt = null;
        if (overlay == Overlay.FILTER) {
            prompt = "Filter (sysdig syntax, Enter applies, empty clears): " + Text.printable(input.toString());
            out.add(fit(prompt, width));
        } else {
            out.add(fit(KEYS, width));
        }
        return new Screen(out, highlight, prompt);
    }

    private static final String KEYS = "F1/? Help  F2/v Views  F4// Filter  F5/e Echo  F6/d Dig  F9/<> Sort  "
            + "Enter Drill  Bksp Back  <-/-> Time  p Pause  q Quit";

    private static final List<String> HELP = List.of(
            "Keys (any key closes this help):",
            "  Up/Down, PgUp/PgDn, Home/End   select a row",
            "  Enter                          drill down: a container to its processes, a process to its",
            "                                 threads, files, connections or system calls",
            "  Backspace, Esc                 back up",
            "  F2, v                          pick the view (keeps the drilled-down scope)",
            "  F4, /                          set a sysdig filter (files and live: the events are read again)",
            "  F5, e                          echo: the selected process's I/O payloads in this window",
            "  F6, d                          dig: the selected process's events in this window",
            "  F9 (menu), < >                 sort by another column",
            "  Left/Right                     move the time window back or forward",
            "  p                              pause or go on",
            "  q, F10                         quit");

    private static int[] widths(View<?> v, List<Integer> cols, int width) {
        int[] w = new int[cols.size()];
        int used = 0, flex = -1;
        for (int c = 0; c < cols.size(); c++) {
            Column<?> col = v.columns().get(cols.get(c));
            w[c] = Math.max(col.header().length() + 1, switch (col.unit()) {
                case TEXT -> col.header().equals("ID") ? 12 : 16;
                case COUNT -> 7;
                case CPU_NS -> 6;
                case TIME_NS -> 19;
                default -> 9;
            });
            if (col.unit() == Unit.TEXT) flex = c; // the last text column takes what is left
            used += w[c] + 1;
        }
        if (flex >= 0) w[flex] = Math.max(w[flex], w[flex] + width - used);
        return w;
    }

    private static String cell(String s, int w, boolean right) {
        if (s.length() > w) return s.substring(0, Math.max(0, w - 1)) + "~";
        String pad = " ".repeat(w - s.length());
        return right ? pad + s : s + pad;
    }

    private static String fit(String s, int width) {
        return s.length() <= width ? s : s.substring(0, Math.max(0, width - 1)) + "~";
    }

    /** A value as top shows it: CPU as a percent of one CPU over the window, sizes in K/M/G, text escaped. */
    static String format(Object v, Unit unit, long windowNs) {
        if (v instanceof String s) return Text.printable(s);
        if (!(v instanceof Long n)) return v == null ? "" : Text.printable(String.valueOf(v));
        if (n < 0 && unit != Unit.COUNT) return "?"; // unknown (no source for it in this capture)
        return switch (unit) {
            case CPU_NS -> String.format(Locale.ROOT, "%.1f", n * 100.0 / windowNs);
            case BYTES -> human(n);
            case KB -> human(n * 1024);
            case NANOS -> dev.scapstream.chisel.SysdigTable.time(n);
            case TIME_NS -> n == 0 ? "" : CLOCK.format(Instant.ofEpochSecond(0, n));
            default -> Long.toString(n);
        };
    }

    static String human(long b) {
        if (b < 1024) return Long.toString(b);
        if (b < 1024L * 1024) return String.format(Locale.ROOT, "%.1fK", b / 1024.0);
        if (b < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1fM", b / 1048576.0);
        return String.format(Locale.ROOT, "%.1fG", b / 1073741824.0);
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return Text.printable(nl < 0 ? s : s.substring(0, nl));
    }
}
