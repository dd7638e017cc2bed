package com.matchbook.realtime.http;

import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.auth.Access;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * {@code GET /api/client-config}: what the bundled pages need to know before they connect, public like the pages
 * themselves (it says nothing a refused request would not also tell):
 * <pre>{"authRequired": true, "devTokens": false, "maxTextBytes": 65536, "maxBinaryBytes": 1048576}</pre>
 * {@code devTokens} tells the page whether {@code GET /dev/token} exists, so it never asks and gets a 404;
 * {@code maxTextBytes} (a whole text frame, UTF-8) and {@code maxBinaryBytes} (a binary payload) are the limits of
 * PROTOCOL.md ("Configuration keys"), so the page refuses an oversize message itself instead of losing its socket to a
 * 1009. The answer is fixed for the life of the process, so it is built once.
 */
public final class ClientConfigService implements Handler {
    private final JsonObject answer;

    /**
     * @param authRequired   whether sockets and the API need a token ({@code matchbook.auth.secret} set)
     * @param devTokens      whether the dev-only {@code /dev/token} endpoint is routed
     * @param maxTextBytes   {@code matchbook.max-text-bytes}
     * @param maxBinaryBytes {@code matchbook.max-binary-bytes}
     */
    public ClientConfigService(boolean authRequired, boolean devTokens, long maxTextBytes, long maxBinaryBytes) {
        this.answer = Json.createBuilderFactory(Map.of()).createObjectBuilder()
                .add("authRequired", authRequired)
                .add("devTokens", devTokens)
                .add("maxTextBytes", maxTextBytes)
                .add("maxBinaryBytes", maxBinaryBytes)
                .build();
    }

    /** The answer for this server: dev tokens only where ServerSetup routes {@code /dev/token} (a secret is set too). */
    public static ClientConfigService of(Settings settings, Access access) {
        boolean authRequired = access.tokens().isPresent();
        return new ClientConfigService(authRequired, authRequired && settings.devTokens(), settings.maxTextBytes(),
                                       settings.maxBinaryBytes());
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        // Settings can change with a restart; a page loaded after it must not read the old limits from a cache.
        JsonAnswers.send(res.header(HeaderNames.CACHE_CONTROL, "no-cache"), answer);
    }
}
