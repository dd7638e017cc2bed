package com.matchbook.realtime.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.ConsolePage;
import com.matchbook.realtime.e2e.support.E2eConfig;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The console at 1280x800 with a connection listed and traffic charted: axe-core finds no WCAG 2.0/2.1 A or AA
 * violation, and the screenshot is saved as {@code target/screenshots/console-1280x800.png} for review.
 *
 * <p>axe-core comes from the web client's {@code npm ci} (web-client/package.json pins it), read from
 * {@code ../web-client/node_modules} or {@code -De2e.axe.script=}; it is injected with WebDriver, which the page's CSP
 * does not see.
 */
@ExtendWith(E2eExtension.class)
class ConsoleAccessibilityIT {
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 800;

    @Test
    void theConsoleHasNoWcagAaViolationsAndItsScreenshotIsSaved(ServerProcess server, Browsers browsers)
            throws IOException {
        String userId = Users.unique("shown");
        ChatPage chat = ChatPage.open(browsers.open(), server, userId);
        chat.awaitState("open", Duration.ofSeconds(15));
        ConsolePage console = ConsolePage.open(browsers.open(), server);
        ((ChromeDriver) console.focus()).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", WIDTH, "height", HEIGHT, "deviceScaleFactor", 1, "mobile", false));
        console.awaitApiState("open", Duration.ofSeconds(15));
        console.awaitRowOf(userId, Duration.ofSeconds(15));   // opened before the console: no timing promise here
        for (int i = 0; i < 5; i++) {
            SendMessage.accepted(server, userId, "system", "shown " + i);
        }
        // The screenshot shows the traffic: wait for the second that carried it to be charted.
        console.waitUntil(Duration.ofSeconds(10), "the messages chart shows the five messages",
                          d -> !console.chartSummary("chart-messages").contains("out now 0, peak 0"));

        Path dir = E2eConfig.workDir().getParent().resolve("screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve("console-" + WIDTH + "x" + HEIGHT + ".png"),
                    ((ChromeDriver) console.focus()).getScreenshotAs(OutputType.BYTES));

        List<String> violations = axe(console);
        assertEquals(List.of(), violations, "axe-core: WCAG 2.1 A/AA violations on /console");
    }

    /** Runs axe-core with the WCAG 2.0/2.1 A and AA rules on the page as it is; one line per violation. */
    private static List<String> axe(ConsolePage page) throws IOException {
        Path script = Path.of(System.getProperty("e2e.axe.script", "../web-client/node_modules/axe-core/axe.min.js"));
        page.script(Files.readString(script));
        Object result = page.asyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                  .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                      + v.nodes.map(n => n.target.join(' ')).join('; '))))
                  .catch(e => done(['axe failed: ' + e]));
                """);
        return ((List<?>) result).stream().map(String::valueOf).toList();
    }
}
