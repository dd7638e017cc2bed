package com.matchbook.realtime.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The chat page {@code /?id=...}: {@code #status}, {@code #messages}, the composer {@code #to #text #send}. */
public final class ChatPage extends Page {
    private final String userId;

    private static final Pattern COUNTDOWN = Pattern.compile("Next attempt in (\\d+) s");

    private ChatPage(WebDriver driver, String url, String userId) {
        super(driver, url);
        this.userId = userId;
    }

    public static ChatPage open(WebDriver driver, Endpoint server, String userId) {
        return new ChatPage(driver, server.baseUrl() + "/?id=" + userId, userId);
    }

    /** The page opened on a conversation: {@code /?id=me&to=other}, as the panel's link or a shared link opens it. */
    public static ChatPage openTalkingTo(WebDriver driver, Endpoint server, String userId, String to) {
        return new ChatPage(driver, server.baseUrl() + "/?id=" + userId + "&to=" + to, userId);
    }

    /** The page opened with {@code ?token=}, as an app that has its own token would open it. */
    public static ChatPage openWithToken(WebDriver driver, Endpoint server, String userId, String token) {
        return new ChatPage(driver, server.baseUrl() + "/?id=" + userId + "&token=" + token, userId);
    }

    /** The same user's page in another window of the same browser. */
    public ChatPage openAnotherWindow(Endpoint server) {
        return new ChatPage(newWindow(this), server.baseUrl() + "/?id=" + userId, userId);
    }

    public String userId() {
        return userId;
    }

    /** One line of {@code #messages} as the user sees it. */
    public record Shown(String from, String text, boolean mine) {
    }

    public List<Shown> messages() {
        return focus().findElements(By.cssSelector("#messages .message")).stream()
                .map(item -> new Shown(item.getDomAttribute("data-from"),
                                       item.findElement(By.cssSelector(".body")).getText(),
                                       item.getDomAttribute("class").contains("mine")))
                .toList();
    }

    /** Texts of the messages others sent to this user, top to bottom. */
    public List<String> incomingTexts() {
        return messages().stream().filter(m -> !m.mine()).map(Shown::text).toList();
    }

    public List<String> allTexts() {
        return messages().stream().map(Shown::text).toList();
    }

    /** Waits for a message from someone else with exactly this text; returns its {@code li}. */
    public WebElement awaitIncoming(String text, Duration timeout) {
        return waitUntil(timeout, () -> userId + "'s #messages should show an incoming .message \"" + text
                                        + "\"; it shows " + safeTexts(), d -> {
            for (WebElement item : d.findElements(By.cssSelector("#messages .message:not(.mine)"))) {
                if (item.findElement(By.cssSelector(".body")).getText().equals(text)) {
                    return item;
                }
            }
            return null;
        });
    }

    /** Waits for one of my own messages (sent here or from my other devices) with exactly this text. */
    public WebElement awaitMine(String text, Duration timeout) {
        return waitUntil(timeout, () -> userId + "'s #messages should show an own .message.mine \"" + text
                                        + "\"; it shows " + safeTexts(), d -> {
            for (WebElement item : d.findElements(By.cssSelector("#messages .message.mine"))) {
                if (item.findElement(By.cssSelector(".body")).getText().equals(text)) {
                    return item;
                }
            }
            return null;
        });
    }

    /** Waits until {@code #messages} shows exactly these texts, top to bottom (a page loading its history). */
    public List<String> awaitTexts(List<String> texts, Duration timeout) {
        return waitUntil(timeout, () -> userId + "'s #messages should show " + texts + "; it shows " + safeTexts(),
                         d -> texts.equals(allTexts()) ? texts : null);
    }

    /** One entry of the conversation list as the user sees it: the person, the unread badge (0 = none), the last line. */
    public record ConversationShown(String with, int unread, String last) {
    }

    /** The conversation list ({@code #conversation-list}), top to bottom, read in one script call. */
    public List<ConversationShown> conversations() {
        Object rows = script("return Array.from(document.querySelectorAll('#conversation-list .conversation-open'))"
                             + ".map(b => [b.dataset.with, b.querySelector('.unread')?.textContent ?? '0',"
                             + " b.querySelector('.conversation-last').textContent]);");
        return ((List<?>) rows).stream()
                .map(row -> (List<?>) row)
                .map(row -> new ConversationShown(String.valueOf(row.get(0)), Integer.parseInt(String.valueOf(row.get(1))),
                                                  String.valueOf(row.get(2))))
                .toList();
    }

    /** Waits until the conversation list shows exactly these entries. */
    public List<ConversationShown> awaitConversations(List<ConversationShown> wanted, Duration timeout) {
        return waitUntil(timeout, () -> userId + "'s conversation list should show " + wanted + "; it shows "
                                        + conversations(), d -> wanted.equals(conversations()) ? wanted : null);
    }

    /** Waits until the conversation list's line for {@code with} shows {@code last} (its newest message as shown). */
    public ConversationShown awaitConversationLast(String with, String last, Duration timeout) {
        return waitUntil(timeout, () -> userId + "'s conversation list should show \"" + last + "\" as the last line with "
                                        + with + "; it shows " + conversations(),
                         d -> conversations().stream().filter(c -> c.with().equals(with) && c.last().equals(last))
                                 .findFirst().orElse(null));
    }

    /** Opens the conversation with {@code other} from the list, as a user clicking it does. */
    public void openConversation(String other) {
        element("#conversation-list button[data-with='" + other + "']").click();
    }

    /** Texts of the messages shown (not hidden as another conversation's), top to bottom. */
    public List<String> visibleTexts() {
        return focus().findElements(By.cssSelector("#messages .message")).stream()
                .filter(WebElement::isDisplayed)
                .map(item -> item.findElement(By.cssSelector(".body")).getText())
                .toList();
    }

    /** Presses Edit on my message with this text, replaces the text and presses Enter (keyboard only after the click). */
    public void editMine(String text, String newText) {
        WebElement item = awaitMine(text, Duration.ofSeconds(5));
        item.findElement(By.cssSelector(".actions .edit")).click();
        WebElement field = item.findElement(By.cssSelector(".edit-form input"));
        field.clear();
        field.sendKeys(newText + "\n");
    }

    /** Presses Delete on my message with this text. */
    public void deleteMine(String text) {
        awaitMine(text, Duration.ofSeconds(5)).findElement(By.cssSelector(".actions .delete")).click();
    }

    /** Waits until the message with this id shows {@code text} in its body and, when asked, the "edited" marker. */
    public WebElement awaitShownAs(String id, String text, boolean edited, Duration timeout) {
        return waitUntil(timeout, () -> userId + "'s message " + id + " should show \"" + text + "\"" + (edited ? " (edited)" : "")
                                        + "; it shows " + safeTexts(), d -> {
            for (WebElement item : d.findElements(By.cssSelector("#messages .message[data-id='" + id + "']"))) {
                boolean marked = !item.findElements(By.cssSelector(".meta .edited")).isEmpty();
                if (item.findElement(By.cssSelector(".body")).getText().equals(text) && marked == edited) {
                    return item;
                }
            }
            return null;
        });
    }

    /** Reloads the page, as a user pressing F5 does; the address keeps who I am and who I talk to. */
    public void reload() {
        focus().navigate().refresh();
    }

    /** Types into the composer and presses Send, as a user would. */
    public void send(String to, String text) {
        type(to, text);
        element("#send").click();
    }

    /** Fills in the recipient and types the text, without sending. */
    public void type(String to, String text) {
        WebElement toField = element("#to");
        if (!to.equals(toField.getDomProperty("value"))) {
            toField.clear();
            toField.sendKeys(to);
        }
        element("#text").sendKeys(text);
    }

    /** Chooses a file in {@code #file} and presses {@code #send-file}. */
    public void sendFile(String to, Path file) {
        WebElement toField = element("#to");
        toField.clear();
        toField.sendKeys(to);
        element("#file").sendKeys(file.toAbsolutePath().toString());
        element("#send-file").click();
    }

    /**
     * The tick of my own message with this text (or my file with this name): {@code data-status} sending, sent,
     * delivered, read or failed.
     */
    public String tickOf(String text) {
        return tick(text).getDomAttribute("data-status");
    }

    /**
     * Waits until my message's tick shows one of {@code statuses}, and returns it; fails at once if it shows
     * {@code failed} instead.
     */
    public String awaitTick(String text, Duration timeout, String... statuses) {
        List<String> wanted = List.of(statuses);
        return waitUntil(timeout, () -> userId + "'s tick of \"" + text + "\" should reach " + wanted + ", shows "
                                        + tickOf(text), d -> {
            WebElement tick = tick(text);
            String shown = tick.getDomAttribute("data-status");
            if ("failed".equals(shown) && !wanted.contains("failed")) {
                throw new AssertionError(userId + "'s message \"" + text + "\" failed: " + tick.getDomAttribute("title"));
            }
            return wanted.contains(shown) ? shown : null;
        });
    }

    private WebElement tick(String text) {
        for (WebElement item : focus().findElements(By.cssSelector("#messages .message.mine"))) {
            boolean named = item.findElements(By.cssSelector(".body a")).stream().anyMatch(a -> a.getText().equals(text));
            if (named || item.findElement(By.cssSelector(".body")).getText().equals(text)) {
                return item.findElement(By.cssSelector(".tick"));
            }
        }
        throw new AssertionError("no own message \"" + text + "\" on " + userId + "'s page: " + safeTexts());
    }

    /**
     * Whether this tab holds the connection all of this user's tabs share ({@code leader}), uses another tab's
     * ({@code follower}), or its own ({@code alone}, a browser without Web Locks): {@code #status[data-tab]}.
     */
    public String tabRole() {
        String role = element("#status").getDomAttribute("data-tab");
        return role == null ? "" : role;
    }

    /** Closes this window, as a user closes a tab; the driver moves on to one of the browser's other windows. */
    public void closeWindow() {
        focus().close();
        driver.switchTo().window(driver.getWindowHandles().iterator().next());
    }

    /** Puts {@code text} in the message field at once (as a paste would) and presses Send. */
    public void pasteAndSend(String to, String text) {
        type(to, "");
        script("const f = document.getElementById('text'); f.value = arguments[0];"
               + " f.dispatchEvent(new Event('input', {bubbles: true}));", text);
        element("#send").click();
    }

    /** The composer's inline message ({@code #composer-error}): empty while hidden. */
    public String composerProblem() {
        WebElement problem = element("#composer-error");
        return problem.isDisplayed() ? problem.getText() : "";
    }

    /** The offline banner's words ({@code #offline}), empty while it is hidden. */
    public String offlineShown() {
        WebElement banner = element("#offline");
        return banner.isDisplayed() ? banner.getText() : "";
    }

    /** The seconds the offline banner's countdown shows ("Next attempt in 4 s."), or -1 when it shows none. */
    public int offlineCountdownSeconds() {
        String shown = offlineShown();
        Matcher m = COUNTDOWN.matcher(shown);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** {@code #typing} as the user sees it: empty while hidden. */
    public String typingShown() {
        WebElement typing = element("#typing");
        return typing.isDisplayed() ? typing.getText() : "";
    }

    /** The {@code data-seq} of every message shown from others, top to bottom. */
    public List<Long> incomingSeqs() {
        return focus().findElements(By.cssSelector("#messages .message:not(.mine)")).stream()
                .map(item -> Long.parseLong(item.getDomAttribute("data-seq")))
                .toList();
    }

    /** A message from someone else as shown: its {@code data-seq} and the words of its {@code .body}. */
    public record Incoming(long seq, String text) {
    }

    /** Every message shown from others, top to bottom, read in one script call (quick for long lists). */
    public List<Incoming> incoming() {
        Object rows = script("return Array.from(document.querySelectorAll('#messages .message:not(.mine)'))"
                                     + ".map(li => [li.dataset.seq, li.querySelector('.body').innerText]);");
        return ((List<?>) rows).stream()
                .map(row -> (List<?>) row)
                .map(row -> new Incoming(Long.parseLong(String.valueOf(row.get(0))), String.valueOf(row.get(1))))
                .toList();
    }

    private String safeTexts() {
        try {
            return allTexts().toString();
        } catch (RuntimeException e) {
            return "(unreadable)";
        }
    }
}
