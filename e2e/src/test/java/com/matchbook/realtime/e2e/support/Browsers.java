package com.matchbook.realtime.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium browsers for one test, each with its own fresh profile, all quit by {@link #close()} (the
 * extension calls it after every test, failed or not). The driver and browser paths are explicit, so Selenium
 * Manager never runs and nothing is downloaded.
 */
public final class Browsers implements AutoCloseable {
    private static final Duration PAGE_LOAD_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(10);

    private final String owner;
    private final List<ChromeDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();
    private final Map<WebDriver, Path> downloads = new HashMap<>();
    private final List<String> consoleErrors = new ArrayList<>();
    private boolean networkErrorsExpected;

    public Browsers(String owner) {
        this.owner = owner;
    }

    /** A new browser process with an empty profile: a separate "device", sharing nothing with the others. */
    public WebDriver open() {
        Path profile;
        try {
            profile = Files.createTempDirectory(E2eConfig.workDir(), "chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path downloadDir = profile.resolve("downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(E2eConfig.chromium().toFile());
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloadDir.toString(),
                                                      "download.prompt_for_download", false));
        // Every console line, errors included (CSP violations, failed requests), for ConsoleLog.
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        options.addArguments("--headless=new",
                             "--no-sandbox",
                             "--disable-gpu",
                             "--disable-dev-shm-usage",
                             "--disable-background-networking",
                             "--disable-component-update",
                             "--disable-sync",
                             "--no-first-run",
                             "--window-size=1280,900",
                             "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(E2eConfig.chromedriver().toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD_TIMEOUT).scriptTimeout(SCRIPT_TIMEOUT);
        drivers.add(driver);
        profiles.add(profile);
        downloads.put(driver, downloadDir);
        return driver;
    }

    /**
     * For a test that takes its server down on purpose: the browsers' own lines about failed socket handshakes and
     * refused requests that follow are expected; every other console error still fails the test.
     */
    public void expectNetworkErrors() {
        networkErrorsExpected = true;
    }

    /**
     * The console errors every browser of this test logged so far (and still logs until it quits), each as
     * "browser N: message". Reading clears the browsers' buffers, so it gathers as it goes.
     */
    public List<String> peekConsoleErrors() {
        int browser = 0;
        for (ChromeDriver driver : drivers) {
            browser++;
            for (String error : ConsoleLog.errors(ConsoleLog.drain(driver), networkErrorsExpected)) {
                consoleErrors.add("browser " + browser + ": " + error);
            }
        }
        return List.copyOf(consoleErrors);
    }

    /** The same, and forgets them: for a test that provokes errors on purpose to check they are seen. */
    public List<String> takeConsoleErrors() {
        List<String> errors = peekConsoleErrors();
        consoleErrors.clear();
        return errors;
    }

    /** Where this browser saves the files its user downloads. */
    public Path downloadsOf(WebDriver browser) {
        Path dir = downloads.get(browser);
        if (dir == null) {
            throw new IllegalArgumentException("not a browser of " + owner);
        }
        return dir;
    }

    /**
     * True once {@code browser} has finished saving {@code name} into its downloads: the file is there with bytes in
     * it and no partial download is left beside it. Chromium reserves the final name with an empty file as soon as a
     * download starts and writes the bytes to a {@code .crdownload} file that it renames at the end, so "the file
     * exists" alone can be read before any byte is in it. (A download of an empty file never counts as finished.)
     */
    public boolean downloaded(WebDriver browser, String name) {
        Path dir = downloadsOf(browser);
        Path file = dir.resolve(name);
        try (Stream<Path> entries = Files.list(dir)) {
            return Files.isRegularFile(file) && Files.size(file) > 0
                    && entries.noneMatch(p -> p.getFileName().toString().endsWith(".crdownload"));
        } catch (IOException e) {
            return false;   // the directory or file changed while being looked at: not finished yet
        }
    }

    /**
     * Saves a screenshot and the DOM of every open window under {@code target/e2e/}, for a failed test.
     *
     * @return the files written, one line each
     */
    public String snapshot(String label) {
        StringBuilder written = new StringBuilder();
        int browser = 0;
        for (ChromeDriver driver : drivers) {
            browser++;
            try {
                for (String handle : driver.getWindowHandles()) {
                    driver.switchTo().window(handle);
                    String base = label + "-browser" + browser + "-" + Math.abs(handle.hashCode());
                    Path png = E2eConfig.workDir().resolve(base + ".png");
                    Path html = E2eConfig.workDir().resolve(base + ".html");
                    Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
                    Files.writeString(html, "<!-- " + driver.getCurrentUrl() + " -->\n" + driver.getPageSource());
                    written.append("  ").append(driver.getCurrentUrl()).append(" -> ").append(html).append(", ")
                            .append(png.getFileName()).append('\n');
                }
            } catch (WebDriverException | IOException e) {
                written.append("  browser ").append(browser).append(": no snapshot (").append(e.getMessage()).append(")\n");
            }
        }
        return written.toString();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (ChromeDriver driver : drivers) {
            try {
                driver.quit();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new IllegalStateException("could not quit every browser of " + owner, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        drivers.clear();
        downloads.clear();
        profiles.forEach(Browsers::deleteQuietly);
        profiles.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a profile left under target/ is harmless
        }
    }
}
