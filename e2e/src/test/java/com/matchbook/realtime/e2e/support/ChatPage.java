package com.matchbook.realtime.e2e.support;

import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The chat page {@code /?id=...}: {@code #status}, {@code #messages}, the composer {@code #to #text #send}. */
public final class ChatPage extends Page {
    private final String userId;

    private ChatPage(WebDriver driver, String url, String userId) {
        super(driver, url);
        this.userId = userId;
    }

    public static ChatPage open(WebDriver driver, ServerProcess server, String userId) {
        return new ChatPage(driver, server.baseUrl() + "/?id=" + userId, userId);
    }

    /** The same user's page in another window of the same browser. */
    public ChatPage openAnotherWindow(ServerProcess server) {
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
        return waitUntil(timeout, userId + "'s #messages should show an incoming .message \"" + text + "\"; it shows "
                                  + safeTexts(), d -> {
            for (WebElement item : d.findElements(By.cssSelector("#messages .message:not(.mine)"))) {
                if (item.findElement(By.cssSelector(".body")).getText().equals(text)) {
                    return item;
                }
            }
            return null;
        });
    }

    /** Types into the composer and presses Send, as a user would. */
    public void send(String to, String text) {
        WebElement toField = element("#to");
        toField.clear();
        toField.sendKeys(to);
        element("#text").sendKeys(text);
        element("#send").click();
    }

    private String safeTexts() {
        try {
            return allTexts().toString();
        } catch (RuntimeException e) {
            return "(unreadable)";
        }
    }
}
