package dev.scapstream.web;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium through Debian's chromedriver, both at their package paths (or
 * -Dscapstream.chromium / -Dscapstream.chromedriver): the paths are explicit so that Selenium
 * Manager never tries to download a browser or a driver. `./scapstream test` installs both.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = System.getProperty("scapstream.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("scapstream.chromedriver", "/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    static Browser start() throws IOException {
        for (String p : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!new File(p).canExecute()) {
                throw new IllegalStateException(p + " is missing: `./scapstream test` installs it "
                        + "(or apt-get install chromium chromium-driver)");
            }
        }
        Path profile = Files.createTempDirectory("scapstream-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new Browser(d, service, profile);
    }

    /**
     * Before any page script runs, replaces alert/confirm/prompt with a recorder: the hostile
     * strings call alert(n), so a script that ran leaves window.__xss behind.
     */
    void trapDialogs() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.__xss = []; for (const f of ['alert','confirm','prompt']) "
                        + "window[f] = (...a) => { window.__xss.push(f + ':' + a.join(',')); };"));
    }

    /** Opens a page and waits until it has rendered (body[data-state=ready]) at least `renders` times. */
    void open(String url) {
        driver.get(url);
        awaitReady(1);
    }

    void awaitReady(int renders) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            Object state = js("return document.body.dataset.state");
            if ("error".equals(state)) {
                throw new AssertionError("page error: " + js("return document.getElementById('error').textContent"));
            }
            long n = ((Number) js("return Number(document.body.dataset.renders || 0)")).longValue();
            if ("ready".equals(state) && n >= renders) return;
            if (System.nanoTime() > deadline) throw new AssertionError("page not ready after 20 s: state=" + state);
            sleep(50);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void screenshot(Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.write(to, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> s = Files.walk(profile)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
