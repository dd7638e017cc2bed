package com.matchbook.realtime.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The two screen sizes the pages are reviewed at, and screenshots of them under {@code target/screenshots/}. The size
 * is set with Chromium's device-metrics emulation, so the page's viewport is exactly that size (a headless window's
 * outer size is not); the phone size also turns on mobile emulation, so the page's viewport meta tag applies.
 */
public enum Screens {
    DESKTOP(1280, 800, false),
    PHONE(390, 844, true);

    private final int width;
    private final int height;
    private final boolean mobile;

    Screens(int width, int height, boolean mobile) {
        this.width = width;
        this.height = height;
        this.mobile = mobile;
    }

    public String label() {
        return width + "x" + height;
    }

    /** Gives {@code page}'s window this viewport (until the browser quits or another size is set). */
    public void apply(Page page) {
        ChromeDriver driver = (ChromeDriver) page.focus();
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                                 Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    /** Saves what {@code page} shows now as {@code target/screenshots/<name>-<width>x<height>.png}. */
    public Path screenshot(Page page, String name) {
        Path file = E2eConfig.screenshotsDir().resolve(name + "-" + label() + ".png");
        try {
            Files.write(file, ((ChromeDriver) page.focus()).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
