package com.matchbook.realtime.e2e.support;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
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

    public WebElement element(String cssSelector) {
        return focus().findElement(By.cssSelector(cssSelector));
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
