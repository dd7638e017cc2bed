package com.matchbook.realtime.e2e.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One browser window showing one of the bundled pages. Every call first brings its own window to the front of the
 * driver, so a test can hold several pages of one browser and use them in any order.
 */
public abstract class Page {
    /** Waits poll this often: the one-second delivery check needs finer steps than Selenium's 500 ms default. */
    private static final Duration POLL = Duration.ofMillis(50);

    protected final WebDriver driver;
    private final String window;

    protected Page(WebDriver driver, String url) {
        this.driver = driver;
        driver.get(url);
        this.window = driver.getWindowHandle();
    }

    /** Opens a new window of the same browser (same profile, like a second tab) for the next page. */
    protected static WebDriver newWindow(Page sibling) {
        sibling.focus();
        return sibling.driver.switchTo().newWindow(WindowType.WINDOW);
    }

    public WebDriver focus() {
        if (!window.equals(driver.getWindowHandle())) {
            driver.switchTo().window(window);
        }
        return driver;
    }

    /** Waits until {@code condition} gives a non-null, non-false value; fails with {@code what} at the deadline. */
    public <T> T waitUntil(Duration timeout, String what, Function<WebDriver, T> condition) {
        return waitUntil(timeout, () -> what, condition);
    }

    /** The same, with a failure message computed at the deadline (so it can say what the page showed then). */
    public <T> T waitUntil(Duration timeout, Supplier<String> what, Function<WebDriver, T> condition) {
        focus();
        return new WebDriverWait(driver, timeout, POLL)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> what.get() + " (" + describe() + ")")
                .until(condition);
    }

    /**
     * Checks that {@code holds} stays true for the whole of {@code during} (polled like every wait); fails as soon as
     * it does not. For "stays closed"-style promises, which no single look can prove.
     */
    public void assertHolds(Duration during, String what, Function<WebDriver, Boolean> holds) {
        try {
            waitUntil(during, what, d -> Boolean.TRUE.equals(holds.apply(d)) ? null : Boolean.TRUE);
        } catch (TimeoutException heldThroughout) {
            return;
        }
        throw new AssertionError(what + ": it stopped holding within " + during + " (" + describe() + ")");
    }

    /** What {@code #status} showed at one moment: its {@code data-state}, its words and its tooltip. */
    public record StatusShown(String state, String text, String title) {
    }

    /**
     * From now on the page itself notes every change of {@code #status} (a MutationObserver), so that a state shown
     * for a few milliseconds is not missed between two polls; {@link #statusHistory()} reads the notes back.
     */
    public void recordStatus() {
        script("""
                       const status = document.getElementById('status');
                       const seen = [];
                       const note = () => seen.push({state: status.dataset.state || '', text: status.textContent,
                                                     title: status.title});
                       note();
                       new MutationObserver(note).observe(status, {attributes: true, childList: true,
                                                                   characterData: true, subtree: true});
                       window.e2eStatusSeen = seen;
                       """);
    }

    /** Every look of {@code #status} noted since {@link #recordStatus()}, oldest first, without repeats. */
    public List<StatusShown> statusHistory() {
        Object seen = script("return window.e2eStatusSeen || null;");
        if (!(seen instanceof List<?> entries)) {
            throw new AssertionError("no #status notes: recordStatus() was not called, or the page was reloaded");
        }
        List<StatusShown> shown = new ArrayList<>();
        for (Object entry : entries) {
            Map<?, ?> fields = (Map<?, ?>) entry;
            StatusShown next = new StatusShown(String.valueOf(fields.get("state")), String.valueOf(fields.get("text")),
                                               String.valueOf(fields.get("title")));
            if (shown.isEmpty() || !shown.getLast().equals(next)) {
                shown.add(next);
            }
        }
        return shown;
    }

    public WebElement element(String cssSelector) {
        return focus().findElement(By.cssSelector(cssSelector));
    }

    /** How long {@link #textOf} and {@link #attributeOf} try again when the page redraws the element under them. */
    private static final Duration REDRAWN = Duration.ofSeconds(5);

    /**
     * An element's text as WebDriver shows it. Pages that redraw a part on a timer (the panel's {@code #stats}, the
     * console's tables) replace its elements, so an element found in one call can be gone by the next: the read is
     * tried again then (a wait that ignores stale elements), never failed on.
     */
    public String textOf(String cssSelector) {
        return waitUntil(REDRAWN, "the text of " + cssSelector, d -> element(cssSelector).getText());
    }

    /** An attribute of an element, read like {@link #textOf}; fails if the attribute is missing for five seconds. */
    public String attributeOf(String cssSelector, String attribute) {
        return waitUntil(REDRAWN, attribute + " of " + cssSelector,
                         d -> element(cssSelector).getDomAttribute(attribute));
    }

    public int count(String cssSelector) {
        return focus().findElements(By.cssSelector(cssSelector)).size();
    }

    /** {@code #status}'s {@code data-state}: connecting, open, reconnecting or closed. */
    public String state() {
        return element("#status").getDomAttribute("data-state");
    }

    /** What the user reads in {@code #status}. */
    public String statusText() {
        return element("#status").getText();
    }

    /** Waits for {@code #status} to show {@code state} and returns the words it shows then. */
    public String awaitState(String state, Duration timeout) {
        return waitUntil(timeout, "#status should reach data-state=" + state, d -> {
            WebElement status = d.findElement(By.cssSelector("#status"));
            return state.equals(status.getDomAttribute("data-state")) ? status.getText() : null;
        });
    }

    /** What the user reads in {@code #error}: empty while it is hidden. */
    public String errorShown() {
        WebElement error = element("#error");
        return error.isDisplayed() ? error.getText() : "";
    }

    /** Waits for {@code #error} to show words containing {@code containing}, and returns all it shows. */
    public String awaitError(String containing, Duration timeout) {
        return waitUntil(timeout, () -> "#error should show \"" + containing + "\"; it shows \"" + errorShown() + "\"",
                         d -> {
                             String shown = errorShown();
                             return shown.contains(containing) ? shown : null;
                         });
    }

    /** Runs a script that ends by calling its last argument, the callback, with the result. */
    public Object asyncScript(String javascript, Object... args) {
        return ((JavascriptExecutor) focus()).executeAsyncScript(javascript, args);
    }

    public Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) focus()).executeScript(javascript, args);
    }

    /** For failure messages: where this window is and what its status shows. */
    protected String describe() {
        try {
            return driver.getCurrentUrl() + ", #status " + state() + " \"" + statusText() + "\"";
        } catch (RuntimeException e) {
            return "window state unavailable: " + e.getMessage();
        }
    }

    /** "Connected", but not "Disconnected" or "Not connected". */
    public static boolean saysConnected(String text) {
        return CONNECTED.matcher(text).find() && !text.toLowerCase().contains("not connected");
    }

    public static boolean saysReconnecting(String text) {
        return text.toLowerCase().contains("reconnecting");
    }

    private static final Pattern CONNECTED = Pattern.compile("(?i)\\bconnected\\b");
}
