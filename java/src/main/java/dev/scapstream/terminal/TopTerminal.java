package dev.scapstream.terminal;

import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a {@link Top} on the terminal and feeds it keys and refresh ticks, all on the calling
 * thread. The terminal is put in raw mode on the alternate screen and given back as it was on
 * quit, Ctrl-C, SIGTERM and any exception.
 */
public final class TopTerminal {
    private TopTerminal() {}

    private static KeyMap<Top.Key> keys(Terminal t) {
        KeyMap<Top.Key> m = new KeyMap<>();
        bind(m, t, Top.Key.UP, Capability.key_up, "k");
        bind(m, t, Top.Key.DOWN, Capability.key_down, "j");
        bind(m, t, Top.Key.PAGE_UP, Capability.key_ppage);
        bind(m, t, Top.Key.PAGE_DOWN, Capability.key_npage, " ");
        bind(m, t, Top.Key.HOME, Capability.key_home);
        bind(m, t, Top.Key.END, Capability.key_end);
        bind(m, t, Top.Key.LEFT, Capability.key_left);
        bind(m, t, Top.Key.RIGHT, Capability.key_right);
        bind(m, t, Top.Key.ENTER, null, "\r", "\n");
        bind(m, t, Top.Key.BACK, Capability.key_backspace, "\177", "\b");
        bind(m, t, Top.Key.HELP, Capability.key_f1, "?", "h");
        bind(m, t, Top.Key.VIEWS, Capability.key_f2, "v");
        bind(m, t, Top.Key.FILTER, Capability.key_f4, "/");
        bind(m, t, Top.Key.ECHO, Capability.key_f5, "e");
        bind(m, t, Top.Key.DIG, Capability.key_f6, "d");
        bind(m, t, Top.Key.SORT, Capability.key_f9);
        bind(m, t, Top.Key.SORT_PREV, null, "<");
        bind(m, t, Top.Key.SORT_NEXT, null, ">");
        bind(m, t, Top.Key.PAUSE, null, "p");
        bind(m, t, Top.Key.QUIT, Capability.key_f10, "q");
        bind(m, t, Top.Key.ESCAPE, null, "\033");
        // the xterm spellings, whatever terminfo says (tmux, screen)
        m.bind(Top.Key.UP, "\033[A", "\033OA");
        m.bind(Top.Key.DOWN, "\033[B", "\033OB");
        m.bind(Top.Key.RIGHT, "\033[C", "\033OC");
        m.bind(Top.Key.LEFT, "\033[D", "\033OD");
        m.bind(Top.Key.HOME, "\033[H", "\033[1~", "\033OH");
        m.bind(Top.Key.END, "\033[F", "\033[4~", "\033OF");
        m.bind(Top.Key.PAGE_UP, "\033[5~");
        m.bind(Top.Key.PAGE_DOWN, "\033[6~");
        m.bind(Top.Key.HELP, "\033OP", "\033[11~");
        m.bind(Top.Key.VIEWS, "\033OQ", "\033[12~");
        m.bind(Top.Key.FILTER, "\033OS", "\033[14~");
        m.bind(Top.Key.ECHO, "\033[15~");
        m.bind(Top.Key.DIG, "\033[17~");
        m.bind(Top.Key.SORT, "\033[20~");
        m.bind(Top.Key.QUIT, "\033[21~");
        m.setAmbiguousTimeout(100);
        return m;
    }

    private static void bind(KeyMap<Top.Key> m, Terminal t, Top.Key k, Capability cap, String... plain) {
        if (cap != null) {
            String seq = KeyMap.key(t, cap);
            if (seq != null && !seq.isEmpty()) m.bind(k, seq);
        }
        for (String p : plain) m.bind(k, p);
    }

    /** Runs until q (or Ctrl-C / SIGTERM, which set {@code stop}); refreshes every {@code refreshMs}. */
    public static void run(Top top, long refreshMs, java.util.function.BooleanSupplier stop) throws IOException {
        Terminal t = TerminalBuilder.builder().system(true).signalHandler(Terminal.SignalHandler.SIG_IGN).build();
        Attributes saved = t.enterRawMode();
        boolean[] resized = {true};
        t.handle(Terminal.Signal.WINCH, s -> resized[0] = true);
        t.handle(Terminal.Signal.INT, s -> top.press(Top.Key.QUIT));
        t.puts(Capability.enter_ca_mode);
        t.puts(Capability.keypad_xmit);
        t.puts(Capability.cursor_invisible);
        t.flush();
        try {
            Display display = new Display(t, true);
            BindingReader reader = new BindingReader(t.reader());
            KeyMap<Top.Key> keys = keys(t);
            NonBlockingReader in = t.reader();
            long nextTick = System.currentTimeMillis() + refreshMs;
            Size size = t.getSize();
            while (!top.quit() && !stop.getAsBoolean()) {
                if (resized[0]) {
                    resized[0] = false;
                    size = t.getSize();
                    display.clear();
                    display.resize(Math.max(1, size.getRows()), Math.max(1, size.getColumns()));
                }
                draw(t, display, top, size);
                long wait = Math.max(1, Math.min(200, nextTick - System.currentTimeMillis()));
                int c = in.peek(wait);
                if (c >= 0 && top.prompting()) {
                    // a prompt takes text: letters are letters there, not commands
                    int ch = in.read();
                    if (ch == '\r' || ch == '\n') top.press(Top.Key.ENTER);
                    else if (ch == 127 || ch == 8) top.press(Top.Key.BACK);
                    else if (ch == 27) {
                        while (in.peek(20) >= 0) in.read(); // the rest of an escape sequence
                        top.press(Top.Key.ESCAPE);
                    } else if (ch >= 0) top.type((char) ch);
                } else if (c >= 0) {
                    Top.Key k = reader.readBinding(keys, null, false);
                    String typed = reader.getLastBinding();
                    if (k != null) top.press(k);
                    else if (typed != null && typed.startsWith("\033") && typed.length() > 1) {
                        // Esc then a key, read as one unknown sequence
                        top.press(Top.Key.ESCAPE);
                        Top.Key next = keys.getBound(typed.substring(1));
                        if (next != null) top.press(next);
                    }
                } else if (c == NonBlockingReader.EOF) {
                    break;
                }
                if (System.currentTimeMillis() >= nextTick) {
                    top.tick();
                    nextTick = System.currentTimeMillis() + refreshMs;
                }
            }
        } finally {
            t.puts(Capability.cursor_visible);
            t.puts(Capability.keypad_local);
            t.puts(Capability.exit_ca_mode);
            t.flush();
            t.setAttributes(saved);
            t.close();
        }
    }

    private static void draw(Terminal t, Display display, Top top, Size size) {
        int rows = Math.max(3, size.getRows()), cols = Math.max(20, size.getColumns());
        Top.Screen s = top.render(cols, rows);
        List<AttributedString> lines = new ArrayList<>(s.lines().size());
        for (int i = 0; i < s.lines().size(); i++) {
            String l = s.lines().get(i);
            AttributedStyle style = i == s.highlight() ? AttributedStyle.INVERSE
                    : i == 0 || i == s.lines().size() - 1 ? AttributedStyle.BOLD : AttributedStyle.DEFAULT;
            lines.add(new AttributedString(l, style));
        }
        display.update(lines, -1);
        t.flush();
    }
}
