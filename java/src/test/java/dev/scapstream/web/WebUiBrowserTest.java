package dev.scapstream.web;

import dev.scapstream.store.RowKind;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.Rows;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The pages in Debian's headless Chromium over the replayed fixture: what the browser shows equals
 * what the store holds (read here independently), hostile strings stay text, pages refresh while a
 * capture runs. Screenshots go to target/screenshots/.
 */
class WebUiBrowserTest {
    static final String H = ReplayedFixture.HOST;
    static final String WEB = "45d645eb9c2b";
    static final String CACHE = "6b9a6952b5e7";
    static final String EVIL = "6413a221de97";

    @TempDir
    static Path tmp;
    static ReplayedFixture fx;
    static Browser b;
    static long from;
    static long to;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new ReplayedFixture(tmp);
        b = Browser.start();
        b.trapDialogs();
        from = Long.MAX_VALUE;
        to = Long.MIN_VALUE;
        for (Rows.ContainerInfo c : fx.store.containers(H, 0, Long.MAX_VALUE)) {
            from = Math.min(from, c.firstSeen());
            to = Math.max(to, c.lastSeen() + 1);
        }
    }

    @AfterAll
    static void tearDown() {
        if (b != null) b.close();
        if (fx != null) fx.close();
    }

    // ---- page access ---------------------------------------------------------------------------

    /** The row of a table (inside #section) whose data-key is key, or null. */
    static WebElement row(String section, String key) {
        return (WebElement) b.js("return [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')]"
                + ".find(r => r.dataset.key === arguments[1]) || null", section, key);
    }

    static String cell(WebElement row, String col) {
        return row.findElement(By.cssSelector("td[data-col='" + col + "']")).getText();
    }

    static List<String> keys(String section) {
        List<String> out = new ArrayList<>();
        for (WebElement r : b.driver.findElements(By.cssSelector("#" + section + " tbody tr"))) {
            out.add(r.getAttribute("data-key"));
        }
        return out;
    }

    /**
     * A totals card's text. While a capture runs the page re-renders every second, so the element
     * found may be replaced before its text is read: then it is looked up again.
     */
    static String card(String key) {
        By card = By.cssSelector("#totals [data-key='" + key + "'] .v");
        for (int attempt = 1; ; attempt++) {
            try {
                return b.driver.findElement(card).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 5) throw e;
            }
        }
    }

    static String page(String file, String query) {
        return fx.base + file + (query.isEmpty() ? "" : "?" + query);
    }

    // ---- home ----------------------------------------------------------------------------------

    @Test
    void homeShowsEveryContainerAndTheHostWithTheStoresTotals() throws Exception {
        b.open(page("index.html", ""));
        List<Rows.ContainerInfo> cs = fx.store.containers(H, from, to);
        assertEquals(cs.size(), keys("containers").size(), "one row per container, the host included");
        assertTrue(cs.stream().anyMatch(c -> c.id().equals("host")));
        for (Rows.ContainerInfo c : cs) {
            WebElement r = row("containers", H + "/" + c.id());
            assertNotNull(r, "row for " + c.id());
            List<Rows.ContainerRow> rows = fx.store.containerSeries(H, c.id(), from, to, 1);
            assertEquals(c.id().equals("host") ? "host (no container)" : c.name(), cell(r, "name"));
            assertEquals(c.image(), cell(r, "image"));
            String w = c.id() + " ";
            Shown.bytes(rows.stream().mapToLong(Rows.ContainerRow::fileInBytes).sum(), cell(r, "fileIn"), w + "file in");
            Shown.bytes(rows.stream().mapToLong(Rows.ContainerRow::fileOutBytes).sum(), cell(r, "fileOut"), w + "file out");
            Shown.bytes(rows.stream().mapToLong(Rows.ContainerRow::netInBytes).sum(), cell(r, "netIn"), w + "net in");
            Shown.bytes(rows.stream().mapToLong(Rows.ContainerRow::netOutBytes).sum(), cell(r, "netOut"), w + "net out");
            Shown.bytes(1024 * rows.stream().mapToLong(Rows.ContainerRow::memRssMaxKb).max().orElse(0), cell(r, "memPeakKb"), w + "peak");
            Shown.seconds(rows.stream().mapToLong(Rows.ContainerRow::cpuNs).sum(), cell(r, "cpuNs"), w + "cpu");
            // four sparklines drawn by uPlot
            assertEquals(4, r.findElements(By.cssSelector("td.spark .uplot canvas")).size(), w + "sparklines");
        }
        long events = fx.store.agent(H, from, to, 1).stream().mapToLong(Rows.AgentRow::events).sum();
        long drops = fx.store.agent(H, from, to, 1).stream().mapToLong(Rows.AgentRow::drops).sum();
        Shown.count(events, b.driver.findElement(By.cssSelector("#agents [data-key=events] .v")).getText(), "events");
        Shown.count(drops, b.driver.findElement(By.cssSelector("#agents [data-key=drops] .v")).getText(), "drops");
        assertTrue(b.driver.findElement(By.id("range-shown")).getText().startsWith(
                Instant.ofEpochSecond(from).toString().replace('T', ' ').substring(0, 19)),
                "the whole replay is shown by default, not the last minutes before now");
        b.screenshot(TestData.repo().resolve("target/screenshots/ui-home.png"));
    }

    @Test
    void homeSortsByAColumnBothWays() {
        b.open(page("index.html", ""));
        Map<String, Long> fileIn = new HashMap<>();
        for (Rows.ContainerInfo c : fx.store.containers(H, from, to)) {
            fileIn.put(H + "/" + c.id(), fx.store.containerSeries(H, c.id(), from, to, 1).stream()
                    .mapToLong(Rows.ContainerRow::fileInBytes).sum());
        }
        List<String> desc = new ArrayList<>(fileIn.keySet());
        desc.sort((x, y) -> Long.compare(fileIn.get(y), fileIn.get(x)));
        b.driver.findElement(By.cssSelector("#containers th[data-col=fileIn]")).click();
        assertEquals(desc, keys("containers"), "largest file input first");
        b.driver.findElement(By.cssSelector("#containers th[data-col=fileIn]")).click();
        List<String> asc = new ArrayList<>(desc);
        java.util.Collections.reverse(asc);
        assertEquals(asc, keys("containers"), "reversed on a second click");
    }

    /**
     * The home page's document does not scroll sideways in a 1280-px-wide window (a laptop's), over
     * the fixture (its long hostile names) and over what `./scapstream demo` shows (its six rows).
     */
    @Test
    void homeFitsA1280PixelWideWindow() throws Exception {
        try (ReplayedFixture demo = new ReplayedFixture(tmp, TestData.fixtures().resolve("demo.scap.gz"))) {
            for (ReplayedFixture served : List.of(fx, demo)) {
                fitsAt1280(served.base + "index.html", served == fx ? "ui-home-1280.png" : "ui-demo-home-1280.png");
            }
            // the demo's web server, for the README: its four charts drawn
            String web = null;
            for (JsonNode c : TestData.readTruth(TestData.fixtures().resolve("demo.scap.gz")).path("containers")) {
                if (c.path("name").asText().equals("web")) web = c.path("id").asText();
            }
            b.open(demo.base + "container.html?id=" + web);
            assertEquals(4, b.driver.findElements(By.cssSelector("#charts .uplot")).size(), "cpu, memory, file, network charts");
            b.screenshot(TestData.repo().resolve("target/screenshots/ui-demo-container.png"));
        }
    }

    private static void fitsAt1280(String url, String shot) throws Exception {
        org.openqa.selenium.Dimension before = b.driver.manage().window().getSize();
        try {
            b.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
            b.open(url);
            assertEquals(1280L, b.js("return window.innerWidth"), "the window is 1280 px wide");
            assertTrue(b.driver.findElements(By.cssSelector("#containers tbody tr")).size() > 1, "rows shown");
            b.screenshot(TestData.repo().resolve("target/screenshots/" + shot));
            long scroll = ((Number) b.js("return document.documentElement.scrollWidth")).longValue();
            long client = ((Number) b.js("return document.documentElement.clientWidth")).longValue();
            assertTrue(scroll <= client, url + ": home scrolls horizontally: scrollWidth " + scroll + " > clientWidth " + client
                    + "; columns " + b.js("return [...document.querySelectorAll('#containers thead th')]"
                    + ".map(t => t.dataset.col + '=' + Math.round(t.getBoundingClientRect().width)).join(' ')"));
            // and not by scrolling inside its own box: every column is in view
            long table = ((Number) b.js("return document.querySelector('#containers table').scrollWidth")).longValue();
            long box = ((Number) b.js("return document.getElementById('containers').clientWidth")).longValue();
            assertTrue(table <= box, url + ": the containers table is " + table + " px wide in a " + box + " px box");
        } finally {
            b.driver.manage().window().setSize(before);
        }
    }

    // ---- container -----------------------------------------------------------------------------

    @Test
    void containerPageTablesEqualTheStore() throws Exception {
        b.open(page("container.html", "host=" + H + "&id=" + CACHE));
        assertEquals("cache", b.driver.findElement(By.id("title")).getText());
        assertEquals(4, b.driver.findElements(By.cssSelector("#charts .uplot")).size(), "cpu, memory, file, network charts");
        List<Rows.ContainerRow> rows = fx.store.containerSeries(H, CACHE, from, to, 1);
        Shown.bytes(rows.stream().mapToLong(Rows.ContainerRow::fileInBytes).sum(), card("fileInBytes"), "card file in");
        Shown.bytes(rows.stream().mapToLong(Rows.ContainerRow::netOutBytes).sum(), card("netOutBytes"), "card net out");
        Shown.count(rows.stream().mapToLong(Rows.ContainerRow::syscalls).sum(), card("syscalls"), "card syscalls");

        // files (lsof): every (pid, file) with its bytes and ops
        Map<String, long[]> files = new HashMap<>();
        for (Rows.FileRow f : fx.store.files(H, CACHE, from, to, 1)) {
            long[] a = files.computeIfAbsent(f.pid() + "/" + f.file(), k -> new long[4]);
            a[0] += f.bytesIn(); a[1] += f.bytesOut(); a[2] += f.opsIn(); a[3] += f.opsOut();
        }
        assertEquals(files.size(), keys("files").size());
        for (Map.Entry<String, long[]> e : files.entrySet()) {
            WebElement r = row("files", e.getKey());
            assertNotNull(r, e.getKey());
            Shown.bytes(e.getValue()[0], cell(r, "bytesIn"), e.getKey());
            Shown.bytes(e.getValue()[1], cell(r, "bytesOut"), e.getKey());
            Shown.count(e.getValue()[2], cell(r, "opsIn"), e.getKey());
            Shown.count(e.getValue()[3], cell(r, "opsOut"), e.getKey());
        }
        // connections (netstat): the loopback transfer, as the store has it and as the truth says
        Map<String, long[]> conns = new HashMap<>();
        for (Rows.ConnectionRow c : fx.store.connections(H, CACHE, from, to, 1)) {
            long[] a = conns.computeIfAbsent(c.pid() + "/" + c.l4() + "/" + c.tuple(), k -> new long[2]);
            a[0] += c.bytesIn(); a[1] += c.bytesOut();
        }
        assertFalse(conns.isEmpty());
        for (Map.Entry<String, long[]> e : conns.entrySet()) {
            WebElement r = row("connections", e.getKey());
            assertNotNull(r, e.getKey());
            Shown.bytes(e.getValue()[0], cell(r, "bytesIn"), e.getKey());
            Shown.bytes(e.getValue()[1], cell(r, "bytesOut"), e.getKey());
        }
        for (JsonNode w : TestData.readTruth(ReplayedFixture.fixture()).path("workloads")) {
            if (!w.has("net_bytes_in") || !w.path("container_id").asText().equals(CACHE)) continue;
            long in = conns.entrySet().stream().filter(e -> e.getKey().startsWith(w.path("pid").asText() + "/"))
                    .mapToLong(e -> e.getValue()[0]).sum();
            assertEquals(w.path("net_bytes_in").asLong(), in, "store vs truth for " + w.path("label").asText());
        }
        // server ports
        for (Rows.PortRow p : fx.store.ports(H, CACHE, from, to, 1)) {
            WebElement r = row("ports", p.l4() + "/" + p.port());
            assertNotNull(r, "port " + p.port());
        }
        Map<String, long[]> ports = new HashMap<>();
        for (Rows.PortRow p : fx.store.ports(H, CACHE, from, to, 1)) {
            long[] a = ports.computeIfAbsent(p.l4() + "/" + p.port(), k -> new long[2]);
            a[0] += p.bytesIn(); a[1] += p.bytesOut();
        }
        for (Map.Entry<String, long[]> e : ports.entrySet()) {
            Shown.bytes(e.getValue()[0], cell(row("ports", e.getKey()), "bytesIn"), "port " + e.getKey());
            Shown.bytes(e.getValue()[1], cell(row("ports", e.getKey()), "bytesOut"), "port " + e.getKey());
        }
        // syscalls (strace -c) and errors by errno: exact counts
        Map<String, long[]> sys = new HashMap<>();
        for (Rows.SyscallRow s : fx.store.syscalls(H, CACHE, from, to, 1)) {
            long[] a = sys.computeIfAbsent(s.syscall(), k -> new long[2]);
            a[0] += s.calls(); a[1] += s.errors();
        }
        assertEquals(sys.size(), keys("syscalls").size());
        for (Map.Entry<String, long[]> e : sys.entrySet()) {
            WebElement r = row("syscalls", e.getKey());
            Shown.count(e.getValue()[0], cell(r, "calls"), e.getKey());
            Shown.count(e.getValue()[1], cell(r, "errors"), e.getKey());
        }
        Map<String, Long> errs = new HashMap<>();
        for (Rows.ErrnoRow e : fx.store.errnos(H, CACHE, from, to, 1)) errs.merge(e.syscall() + "/" + e.errno(), e.count(), Long::sum);
        assertFalse(errs.isEmpty(), "the fixture has failing syscalls");
        for (Map.Entry<String, Long> e : errs.entrySet()) Shown.count(e.getValue(), cell(row("errnos", e.getKey()), "count"), e.getKey());
        // processes (top / ps): totals per process
        Map<String, long[]> procs = new HashMap<>();
        for (Rows.ProcessRow p : fx.store.processSeries(H, CACHE, from, to, 1)) {
            long[] a = procs.computeIfAbsent(p.pid() + "/" + p.startTs(), k -> new long[3]);
            a[0] += p.fileInBytes(); a[1] += p.fileOutBytes(); a[2] = Math.max(a[2], p.vmRssMaxKb());
        }
        assertFalse(procs.isEmpty());
        for (Map.Entry<String, long[]> e : procs.entrySet()) {
            WebElement r = row("processes", e.getKey());
            assertNotNull(r, "process " + e.getKey());
            Shown.bytes(e.getValue()[0], cell(r, "fileInBytes"), e.getKey());
            Shown.bytes(e.getValue()[1], cell(r, "fileOutBytes"), e.getKey());
            Shown.bytes(e.getValue()[2] * 1024, cell(r, "peakRssKb"), e.getKey());
        }
        b.screenshot(TestData.repo().resolve("target/screenshots/ui-container.png"));
    }

    @Test
    void aNarrowerRangeShowsOnlyItsSeconds() {
        long sec = from + 1; // the web container's spinning second
        b.open(page("container.html", "id=" + WEB + "&from=" + sec + "&to=" + (sec + 1)));
        long cpu = fx.store.containerSeries(H, WEB, sec, sec + 1, 1).stream().mapToLong(Rows.ContainerRow::cpuNs).sum();
        long all = fx.store.containerSeries(H, WEB, from, to, 1).stream().mapToLong(Rows.ContainerRow::cpuNs).sum();
        assertNotEquals(cpu, all, "the second is not the whole replay");
        Shown.seconds(cpu, card("cpuNs"), "cpu of one second");
        assertTrue(b.driver.findElement(By.id("range-shown")).getText().contains("(1 s) at 1 s"));
    }

    @Test
    void processPageShowsItsOwnNumbersAndItsChildren() {
        Rows.ProcessInfo dd = process(WEB, 9950);
        b.open(page("process.html", "host=" + H + "&id=" + WEB + "&pid=9950&start=" + dd.startTs()));
        assertEquals(dd.args(), b.driver.findElement(By.cssSelector("#info tr[data-key=args] td")).getText());
        long out = fx.store.processSeries(H, WEB, from, to, 1).stream().filter(p -> p.pid() == 9950)
                .mapToLong(Rows.ProcessRow::fileOutBytes).sum();
        Shown.bytes(out, card("fileOutBytes"), "dd file out");
        String file = TestData.readTruth(ReplayedFixture.fixture()).path("workloads").get(0).path("file").asText();
        long fileOut = fx.store.files(H, WEB, from, to, 1).stream().filter(f -> f.pid() == 9950 && f.file().equals(file))
                .mapToLong(Rows.FileRow::bytesOut).sum();
        assertEquals(2097152, fileOut, "the store has the truth's 2 MiB");
        Shown.bytes(fileOut, cell(row("files", "9950/" + file), "bytesOut"), "dd's file");
        assertEquals(4, b.driver.findElements(By.cssSelector("#charts .uplot")).size());

        Rows.ProcessInfo timeout = process(WEB, 9964);
        b.open(page("process.html", "id=" + WEB + "&pid=9964&start=" + timeout.startTs()));
        List<String> children = new ArrayList<>();
        for (Rows.ProcessInfo p : fx.store.processes(H, WEB, 0, Long.MAX_VALUE)) {
            if (p.ppid() == 9964) children.add(p.pid() + "/" + p.startTs());
        }
        assertFalse(children.isEmpty(), "timeout runs sh");
        assertEquals(children, keys("children"));
    }

    static Rows.ProcessInfo process(String cid, long pid) {
        return fx.store.processes(H, cid, 0, Long.MAX_VALUE).stream().filter(p -> p.pid() == pid).findFirst().orElseThrow();
    }

    // ---- hostile strings -----------------------------------------------------------------------

    @Test
    void hostileStringsFromTheTraceAreTextAndNoScriptRuns() {
        Rows.ContainerInfo evil = fx.store.containers(H, 0, Long.MAX_VALUE).stream().filter(c -> c.id().equals(EVIL))
                .findFirst().orElseThrow();
        assertTrue(evil.name().contains("<img") && evil.image().contains("<b>"), "the fixture is hostile");
        Rows.ProcessInfo writer = process(EVIL, 10008);
        assertTrue(writer.args().contains("<script>"), writer.args());
        String file = fx.store.files(H, EVIL, from, to, 1).stream().map(Rows.FileRow::file)
                .filter(f -> f.contains("onerror")).findFirst().orElseThrow();

        b.open(page("index.html", ""));
        WebElement r = row("containers", H + "/" + EVIL);
        assertEquals(evil.name(), cell(r, "name"));
        assertEquals(evil.image(), cell(r, "image"));
        noScriptRan();

        b.open(page("container.html", "id=" + EVIL));
        assertEquals(evil.name(), b.driver.findElement(By.id("title")).getText());
        assertEquals(evil.name() + " — scapstream", b.driver.getTitle());
        assertTrue(b.driver.findElement(By.id("meta")).getText().contains(evil.image()));
        assertEquals(writer.args(), cell(row("processes", "10008/" + writer.startTs()), "args"));
        assertEquals(file, cell(row("files", "10008/" + file), "file"));
        noScriptRan();

        b.open(page("process.html", "id=" + EVIL + "&pid=10008&start=" + writer.startTs()));
        assertEquals(writer.args(), b.driver.findElement(By.cssSelector("#info tr[data-key=args] td")).getText());
        assertTrue(b.driver.findElement(By.id("crumbs")).getText().contains(evil.name()));
        noScriptRan();

        // the seed's URL with a hostile id: a redirect, and the page says "not found" as text
        b.driver.get(fx.base + "static/index.html?container=%3Cimg%20src%3Dx%20onerror%3Dalert(5)%3E");
        assertTrue(b.driver.getCurrentUrl().contains("/container.html?id="), b.driver.getCurrentUrl());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"error".equals(b.js("return document.body.dataset.state")) && System.nanoTime() < deadline) Browser.sleep(50);
        assertTrue(b.driver.findElement(By.id("error")).getText().contains("<img src=x onerror=alert(5)>"));
        noScriptRan();
    }

    private static void noScriptRan() {
        assertEquals(List.of(), b.js("return window.__xss"), "alert/confirm/prompt was called");
        assertEquals(0L, b.js("return document.querySelectorAll('img, b, iframe, object, embed').length"),
                "markup from the trace became elements");
        assertEquals(1L, b.js("return document.querySelectorAll('script').length"), "only the page's own module");
    }

    // ---- live refresh --------------------------------------------------------------------------

    @Test
    void pagesRefreshEverySecondWhileACaptureRuns() throws Exception {
        RunState state = new RunState(RunState.Mode.LIVE, true);
        long now = Instant.now().getEpochSecond();
        try (SqliteStore s = SqliteStore.open(tmp.resolve("live.db"));
             WebServer srv = WebServer.start(new InetSocketAddress("127.0.0.1", 0), s, state)) {
            s.write(second("lv", now - 3, 1000));
            b.open(srv.url() + "container.html?id=c1");
            Shown.bytes(1000, card("fileOutBytes"), "first second");
            int renders = ((Number) b.js("return Number(document.body.dataset.renders)")).intValue();
            s.write(second("lv", now - 2, 2000));
            long deadline = System.nanoTime() + 8_000_000_000L;
            while (!card("fileOutBytes").equals("2.93 KiB") && System.nanoTime() < deadline) Browser.sleep(100);
            Shown.bytes(3000, card("fileOutBytes"), "after a second was written, without a reload");
            assertTrue(((Number) b.js("return Number(document.body.dataset.renders)")).intValue() > renders);
            assertTrue(b.driver.findElement(By.cssSelector("#range .live")).getText().contains("live"));
        }
    }

    private static MetricsBatch second(String host, long ts, long fileOut) {
        MetricsBatch m = new MetricsBatch();
        m.rows(RowKind.CONTAINER_INFO).add(new Rows.ContainerInfo(host, "c1", "c-one", "img:1", "docker", ts - 10, ts));
        m.rows(RowKind.CONTAINER).add(new Rows.ContainerRow(host, "c1", ts, 1, 0, Rows.CpuSource.SWITCH, 0, 0, 0, 0, 0, fileOut, 1,
                0, 0, 1, 0, 0));
        m.rows(RowKind.AGENT).add(new Rows.AgentRow(host, ts, 1, 100, 0, 0, 0, 0, 0, 0));
        return m;
    }
}
