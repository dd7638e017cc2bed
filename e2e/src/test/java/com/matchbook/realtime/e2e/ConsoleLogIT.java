package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.util.List;

import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console check every test relies on can see what it must: a script error, a failed request, a CSP violation. */
@ExtendWith(E2eExtension.class)
class ConsoleLogIT {
    @Test
    void aCleanPageLogsNothingAndErrorsRequestFailuresAndCspViolationsAreCaught(ServerProcess server, Browsers browsers) {
        ChatPage page = ChatPage.open(browsers.open(), server, Users.unique("alice"));
        page.awaitState("open", Duration.ofSeconds(15));
        assertEquals(List.of(), browsers.takeConsoleErrors(), "the chat page connects without a console error");

        page.script("console.error('e2e: a script error');");
        page.asyncScript("const done = arguments[arguments.length - 1]; fetch('no-such-file.js').then(() => done());");
        // An inline style is refused by the page's CSP (style-src 'self'); Chromium logs the violation.
        page.script("const s = document.createElement('style'); s.textContent = 'body{}'; document.head.append(s);");
        List<String> errors = page.waitUntil(Duration.ofSeconds(5), "the three errors should be logged", d -> {
            List<String> seen = browsers.peekConsoleErrors();
            return seen.size() >= 3 ? seen : null;
        });
        browsers.takeConsoleErrors();
        assertTrue(errors.stream().anyMatch(e -> e.contains("e2e: a script error")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("404")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("Content Security Policy")), errors.toString());
    }
}
