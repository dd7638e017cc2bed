package com.matchbook.realtime.e2e.support;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The operator console {@code /console}: {@code #api-state} (Live, Refused...), {@code #open-warning}, the token form
 * ({@code #token}), {@code #nodes}, {@code #now} (tiles by field), the charts ({@code figure.chart}, each with a text summary), and the
 * connections table ({@code #connections}, rows {@code tr[data-connection-id]}, searched with {@code #search-user}).
 */
public final class ConsolePage extends Page {
    private static final Pattern NOW = Pattern.compile("(?:^|; )([^;]+?) now ([0-9.]+|none)");
    private static final Pattern PEAK = Pattern.compile("(?:^|; )([^;]+?) now (?:[0-9.]+|none), peak ([0-9.]+|none)");

    private ConsolePage(WebDriver driver, String url) {
        super(driver, url);
    }

    public static ConsolePage open(WebDriver driver, Endpoint server) {
        return new ConsolePage(driver, server.baseUrl() + "/console");
    }

    /** {@code #api-state}'s {@code data-state}: connecting, open (live) or refused. */
    public String apiState() {
        return element("#api-state").getDomAttribute("data-state");
    }

    public String awaitApiState(String state, Duration timeout) {
        return waitUntil(timeout, "#api-state should reach data-state=" + state, d -> {
            WebElement s = d.findElement(By.cssSelector("#api-state"));
            return state.equals(s.getDomAttribute("data-state")) ? s.getText() : null;
        });
    }

    /** The warning that auth is off, as shown (empty while hidden). */
    public String openWarning() {
        WebElement w = element("#open-warning");
        return w.isDisplayed() ? w.getText() : "";
    }

    /** Types a token into the token field and submits it, as an operator would. */
    public void useToken(String token) {
        WebElement field = element("#token");
        field.clear();
        field.sendKeys(token);
        element("#token-save").click();
    }

    /** Searches the connections table for one user. */
    public void search(String userId) {
        WebElement field = element("#search-user");
        field.clear();
        field.sendKeys(userId);
        focus().findElement(By.cssSelector("#search button[type=submit]")).click();
    }

    /** The rows of the connections table: connection id, user, node, transport, age, outbox. */
    public record Row(String connectionId, String user, String node, String transport) {
    }

    /**
     * Read in one script call: cell by cell through WebDriver a look took five round trips a row, and against the
     * shared server's many rows on a loaded machine one look could outlast a two-second wait.
     */
    public List<Row> rows() {
        Object rows = script("""
                                     return [...document.querySelectorAll('#connections tr[data-connection-id]')]
                                         .map(tr => {
                                             const cells = [...tr.querySelectorAll('td')]
                                                 .map(td => td.innerText.trim());
                                             return [tr.getAttribute('data-connection-id'), cells[1], cells[2],
                                                     cells[3]];
                                         });
                                     """);
        return ((List<?>) rows).stream().map(row -> (List<?>) row)
                .map(row -> new Row(String.valueOf(row.get(0)), String.valueOf(row.get(1)),
                                    String.valueOf(row.get(2)), String.valueOf(row.get(3))))
                .toList();
    }

    /**
     * From now on the page notes when a row of {@code userId} first shows in {@code #connections} (Date.now(), the
     * clock the test's JVM reads too); {@link #rowNotedAt()} reads the note. A "shows within" promise is then timed
     * by the page, not by how soon a WebDriver poll gets to look.
     */
    public void noteRowOf(String userId) {
        script("""
                       const user = arguments[0];
                       const table = document.getElementById('connections');
                       window.e2eRowAt = null;
                       const note = () => {
                           const shown = [...table.querySelectorAll('tr[data-connection-id]')]
                               .some(tr => (tr.querySelectorAll('td')[1]?.textContent ?? '').trim() === user);
                           if (window.e2eRowAt === null && shown) {
                               window.e2eRowAt = Date.now();
                           }
                       };
                       note();
                       new MutationObserver(note).observe(table, {childList: true, characterData: true,
                                                                  subtree: true});
                       """, userId);
    }

    /** When the row {@link #noteRowOf} watches for first showed, in epoch milliseconds; fails if it has not. */
    public long rowNotedAt() {
        Object at = script("return window.e2eRowAt;");
        if (!(at instanceof Number n)) {
            throw new AssertionError("no row noted: noteRowOf() was not called, or the row never showed (" + at + ")");
        }
        return n.longValue();
    }

    /** Waits for a row of this user and returns it. */
    public Row awaitRowOf(String userId, Duration timeout) {
        return waitUntil(timeout, () -> "a connection of " + userId + " in #connections; rows " + rows(),
                         d -> rows().stream().filter(r -> r.user().equals(userId)).findFirst().orElse(null));
    }

    /**
     * Clicks the Disconnect button of one row. The table is redrawn on every poll, so the button found may be
     * replaced before the click lands: WebDriver then refuses the click (stale element) and it is tried again on the
     * new row, within five seconds.
     */
    public void disconnect(String connectionId) {
        String button = "#connections tr[data-connection-id=\"" + connectionId + "\"] button";
        waitUntil(Duration.ofSeconds(5), "the Disconnect button of " + connectionId + " should take a click", d -> {
            element(button).click();
            return true;
        });
    }

    /** The text under a chart ({@code #chart-messages}, ...): each line's value now and its peak. */
    public String chartSummary(String chartId) {
        return element("#" + chartId + " .summary").getText();
    }

    /** A line's latest value as the chart's summary says it ("out now 3.5, peak 12"); empty for "none". */
    public Optional<Double> chartNow(String chartId, String line) {
        Matcher m = NOW.matcher(chartSummary(chartId));
        while (m.find()) {
            if (m.group(1).trim().equals(line)) {
                return m.group(2).equals("none") ? Optional.empty() : Optional.of(Double.parseDouble(m.group(2)));
            }
        }
        return Optional.empty();
    }

    /** A line's peak over the window as the chart's summary says it ("now 0, peak 1"); empty for "none". */
    public Optional<Double> chartPeak(String chartId, String line) {
        Matcher m = PEAK.matcher(chartSummary(chartId));
        while (m.find()) {
            if (m.group(1).trim().equals(line)) {
                return m.group(2).equals("none") ? Optional.empty() : Optional.of(Double.parseDouble(m.group(2)));
            }
        }
        return Optional.empty();
    }

    /** The text of one tile of {@code #now} ({@code dd[data-field=name]}: "tcpRefusals", "tcpRefusalsDetail"...). */
    public String tile(String field) {
        // The tiles are drawn from the first series answer, which can come after the API state turned "open".
        By tile = By.cssSelector("#now dd[data-field=\"" + field + "\"]");
        return waitUntil(Duration.ofSeconds(5), "the tile " + field + " in #now",
                         d -> d.findElements(tile).stream().findFirst().map(WebElement::getText).orElse(null));
    }

    /** How many seconds the chart draws, and the last one (epoch second). */
    public long chartLastSecond(String chartId) {
        return Long.parseLong(element("#" + chartId).getDomAttribute("data-last-second"));
    }

    @Override
    protected String describe() {
        try {
            return focus().getCurrentUrl() + ", #api-state " + apiState() + ", #error \"" + errorShown() + "\"";
        } catch (RuntimeException e) {
            return "window state unavailable: " + e.getMessage();
        }
    }
}
