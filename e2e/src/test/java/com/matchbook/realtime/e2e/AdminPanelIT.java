package com.matchbook.realtime.e2e;

import java.time.Duration;

import com.matchbook.realtime.e2e.support.AdminPage;
import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.Page;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The diagnostics panel: its event log and the manual reconnect button. */
@ExtendWith(E2eExtension.class)
class AdminPanelIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration SHORT = Duration.ofSeconds(5);

    @Test
    void reconnectButtonOpensANewConnectionAndTheLogShowsOpenCloseAndMessage(ServerProcess server, Browsers browsers) {
        String userId = Users.unique("carol");
        AdminPage admin = AdminPage.open(browsers.open(), server, userId);
        admin.awaitState("open", CONNECT);
        int opens = admin.awaitLogCount("open", 1, SHORT);

        String text = "note for the log " + userId;
        SendMessage.accepted(server, userId, "server", text);
        admin.awaitLogEntry("message", text, SHORT);

        int closes = admin.logEntries("close").size();
        int attempts = admin.attempts();
        admin.clickReconnect();

        admin.awaitLogCount("open", opens + 1, SHORT);
        admin.awaitLogCount("close", closes + 1, SHORT);
        String shown = admin.awaitState("open", SHORT);
        assertTrue(Page.saysConnected(shown), "#status should say connected after the reconnect, shows \"" + shown + "\"");
        assertEquals(attempts + 1, admin.attempts(), "one manual reconnect is one more attempt");
        assertEquals(1, admin.logEntries("message").stream().filter(entry -> entry.contains(text)).count(),
                     "the message is logged once: the new connection does not replay it again");
    }

    @Test
    void panelShowsTheServersPingsAndLiveStats(ServerProcess server, Browsers browsers) {
        String userId = Users.unique("carol");
        AdminPage admin = AdminPage.open(browsers.open(), server, userId);
        admin.awaitState("open", CONNECT);

        // The shared server pings every second.
        admin.waitUntil(SHORT, () -> "#last-ping should show a ping within the last 3 s: \""
                                     + admin.textOf("#last-ping") + "\"",
                        d -> admin.element("#last-ping").getText().matches("[0-3] s ago"));
        admin.awaitLogEntry("ping", "", SHORT);

        // /api/stats, polled every 2 s: this panel's own connection is one of the server's connections.
        int connections = admin.waitUntil(SHORT, "#stats should show the server's connection count", d -> {
            String shown = admin.element("#stats dd[data-field=connections]").getText();
            return shown.matches("\\d+") && Integer.parseInt(shown) >= 1 ? Integer.parseInt(shown) : null;
        });
        assertTrue(connections >= 1, "connections: " + connections);
        assertTrue(admin.attributeOf("#stats dd[data-field=uptimeMs]", "data-value").matches("\\d+"),
                   "uptimeMs is a number");
        String uptime = admin.textOf("#stats dd[data-field=uptimeMs]");
        assertTrue(uptime.matches("\\d+(\\.\\d)? s|\\d+ min \\d+ s|\\d+ h \\d+ min"), "uptime in people's units: " + uptime);
    }
}
