package com.matchbook.realtime.e2e.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The diagnostics panel {@code /admin?id=...}: {@code #status}, {@code #attempts}, {@code #reconnect}, {@code #log}. */
public final class AdminPage extends Page {
    private AdminPage(WebDriver driver, String url) {
        super(driver, url);
    }

    public static AdminPage open(WebDriver driver, Endpoint server, String userId) {
        return new AdminPage(driver, server.baseUrl() + "/admin?id=" + userId);
    }

    /** The panel for the same user in a new window of {@code sibling}'s browser. */
    public static AdminPage openBeside(Page sibling, Endpoint server, String userId) {
        return new AdminPage(newWindow(sibling), server.baseUrl() + "/admin?id=" + userId);
    }

    /** The same, opened with {@code ?token=}. */
    public static AdminPage openBeside(Page sibling, Endpoint server, String userId, String token) {
        return new AdminPage(newWindow(sibling), server.baseUrl() + "/admin?id=" + userId + "&token=" + token);
    }

    /** {@code #attempts}, the connection attempts the panel counts. */
    public int attempts() {
        return Integer.parseInt(element("#attempts").getText().trim());
    }

    /** Entries of {@code #log} for one event, oldest first, as their visible text. */
    public List<String> logEntries(String event) {
        return focus().findElements(By.cssSelector("#log li[data-event=\"" + event + "\"]")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** One entry of {@code #log}: when (its {@code time[datetime]}), the event, and the detail as shown. */
    public record LogEntry(Instant at, String event, String detail) {
    }

    /** Every entry of {@code #log}, oldest first. */
    public List<LogEntry> log() {
        return focus().findElements(By.cssSelector("#log li")).stream()
                .map(item -> new LogEntry(Instant.parse(item.findElement(By.cssSelector("time")).getDomAttribute("datetime")),
                                          item.getDomAttribute("data-event"),
                                          item.findElements(By.cssSelector(".detail")).stream()
                                                  .map(WebElement::getText).findFirst().orElse("")))
                .toList();
    }

    public void clickReconnect() {
        element("#reconnect").click();
    }

    public int awaitAttemptsAtLeast(int atLeast, Duration timeout) {
        return waitUntil(timeout, "#attempts should reach " + atLeast, d -> {
            int shown = attempts();
            return shown >= atLeast ? shown : null;
        });
    }

    public String awaitLogEntry(String event, String containing, Duration timeout) {
        return waitUntil(timeout, "#log should show a li[data-event=" + event + "] containing \"" + containing + "\"",
                         d -> logEntries(event).stream().filter(t -> t.contains(containing)).findFirst().orElse(null));
    }

    public int awaitLogCount(String event, int atLeast, Duration timeout) {
        return waitUntil(timeout, "#log should show at least " + atLeast + " li[data-event=" + event + "]", d -> {
            int shown = logEntries(event).size();
            return shown >= atLeast ? shown : null;
        });
    }
}
