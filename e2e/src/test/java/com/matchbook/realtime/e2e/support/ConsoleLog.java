package com.matchbook.realtime.e2e.support;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Pattern;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * What the pages wrote to the browser console, read through chromedriver's {@code goog:loggingPrefs} browser log (see
 * {@link Browsers#open()}). Errors include what Chromium logs by itself: CSP violations ("Refused to ..."), failed
 * requests (a 404, a 500) and failed socket handshakes. The extension fails every test whose browsers logged an error;
 * a test that takes its server down on purpose declares the network errors that follow as expected
 * ({@link Browsers#expectNetworkErrors()}), and nothing else.
 */
public final class ConsoleLog {
    /** Chromium's own lines for a request or socket that found no server (or a server going away). */
    private static final Pattern NETWORK_FAILURE = Pattern.compile(
            "WebSocket connection to '[^']*' failed"
            + "|net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|CONNECTION_CLOSED|EMPTY_RESPONSE|SOCKET_NOT_CONNECTED)"
            + "|Failed to load resource: the server responded with a status of 503");

    private ConsoleLog() {
    }

    /** Takes (and so clears) the console entries every window of {@code driver} logged since the last call. */
    public static List<LogEntry> drain(WebDriver driver) {
        try {
            return new ArrayList<>(driver.manage().logs().get(LogType.BROWSER).getAll());
        } catch (WebDriverException e) {
            return List.of(); // the browser is gone (the test quit it): nothing more to read
        }
    }

    /** The entries that count as errors: SEVERE, apart from expected network failures when {@code networkExpected}. */
    public static List<String> errors(List<LogEntry> entries, boolean networkExpected) {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : entries) {
            if (entry.getLevel().intValue() < Level.SEVERE.intValue()) {
                continue;
            }
            if (networkExpected && NETWORK_FAILURE.matcher(entry.getMessage()).find()) {
                continue;
            }
            errors.add(entry.getMessage());
        }
        return errors;
    }
}
