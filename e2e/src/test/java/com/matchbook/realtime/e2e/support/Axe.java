package com.matchbook.realtime.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * axe-core (the engine behind most accessibility checkers) run inside a page: the script is read from the file the
 * e2e module's {@code npm ci} installs and injected with WebDriver's executeScript, which the page's CSP does not see.
 * Checks WCAG 2.0 and 2.1 A and AA rules only (tags {@code wcag2a}, {@code wcag2aa}, {@code wcag21a},
 * {@code wcag21aa}).
 */
public final class Axe {
    private static final String SCRIPT = read();

    private Axe() {
    }

    /** One failed rule: its id, impact, and the elements it failed on (CSS selectors plus axe's summary). */
    public record Violation(String rule, String impact, String help, List<String> nodes) {
        @Override
        public String toString() {
            return rule + " (" + impact + "): " + help + " at " + String.join("; ", nodes);
        }
    }

    /** Runs axe on the page as it is now and returns the WCAG 2.1 A/AA violations. */
    public static List<Violation> check(Page page) {
        page.script(SCRIPT);
        Object result = page.asyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                  .then(r => done(r.violations.map(v => ({
                      rule: v.id, impact: v.impact || '', help: v.help,
                      nodes: v.nodes.map(n => n.target.join(' ') + ' -> ' + (n.failureSummary || '').replace(/\\s+/g, ' '))}))))
                  .catch(e => done([{rule: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
                """);
        List<Violation> violations = new ArrayList<>();
        for (Object entry : (List<?>) result) {
            Map<?, ?> v = (Map<?, ?>) entry;
            violations.add(new Violation(String.valueOf(v.get("rule")), String.valueOf(v.get("impact")),
                                         String.valueOf(v.get("help")),
                                         ((List<?>) v.get("nodes")).stream().map(String::valueOf).toList()));
        }
        return violations;
    }

    private static String read() {
        try {
            return Files.readString(E2eConfig.axeScript());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
