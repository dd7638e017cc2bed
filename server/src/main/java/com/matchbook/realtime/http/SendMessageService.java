package com.matchbook.realtime.http;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.auth.Caller;
import com.matchbook.realtime.delivery.Delivery;
import com.matchbook.realtime.limits.SendRate;
import com.matchbook.realtime.limits.TrustedProxies;
import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.message.Drafts;
import com.matchbook.realtime.message.IdempotencyKeys;
import com.matchbook.realtime.protocol.UserId;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.store.StoreRefusal;
import com.matchbook.realtime.store.StoreUnavailableException;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;

/** {@code POST /send-message}, unchanged from the SSE era: a 202 means the message is stored for its recipient. */
public final class SendMessageService implements HttpService {
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
    /** docs/protocol.md "Idempotent sends (1.1)". */
    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");

    private final Delivery delivery;
    private final Access access;
    private final SendRate rate;
    private final TrustedProxies proxies;
    private final Drafts drafts;
    private final long maxBodyBytes;

    /**
     * @param rate    {@code matchbook.limits.sends-per-second}, counted per client address
     * @param proxies whose forwarding headers name that address ({@code matchbook.trusted-proxies}); from anyone
     *                else the socket's own peer is the client, so a caller cannot pick the bucket it is counted in
     */
    public SendMessageService(Delivery delivery, Settings settings, Access access, SendRate rate,
                              TrustedProxies proxies) {
        this.delivery = delivery;
        this.access = access;
        this.rate = rate;
        this.proxies = proxies;
        this.drafts = new Drafts(settings.maxTextBytes());
        this.maxBodyBytes = settings.maxBinaryBytes();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::send)
                // RFC 9110 15.5.6: the path exists, the method does not; a 404 would tell a caller the endpoint is gone.
                .any("/", (req, res) -> ErrorResponses.send(res.header(HeaderNames.ALLOW, "POST"), 405,
                                                            "method_not_allowed", "send with POST"));
    }

    private void send(ServerRequest req, ServerResponse res) {
        long wait = rate.check(proxies.client(req.remotePeer(), req.headers()).getHostAddress());
        if (wait > 0) {
            throw new ApiException(429, "rate_limited", "too many messages from this address; slow down",
                                   Optional.of(wait));
        }
        // PROTOCOL.md 1.1: the answer is JSON whatever Accept says, and its form is fixed before anything is stored,
        // so no request header can turn a stored message into an error answer (a client would retry: a duplicate).
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        Caller caller = access.caller(req.headers());
        JsonObject body = JsonBodies.object(req, maxBodyBytes);
        String from = caller.sender(() -> Drafts.optionalString(body, "from"));
        Drafts.validId("from", from);
        Optional<String> key = req.headers().first(IDEMPOTENCY_KEY)
                .map(k -> IdempotencyKeys.check(k, "Idempotency-Key"));
        MessageStore.Accepted m = await(delivery.send(drafts.read(body, from, null), key));
        res.status(Status.ACCEPTED_202).send(JSON.createObjectBuilder()
                                                  .add("id", m.id())
                                                  .add("seq", m.seq())
                                                  .build()
                                                  .toString());
    }

    static <T> T await(CompletableFuture<T> stored) {
        try {
            return stored.get(Timings.STORE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while storing", e);
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("the store did not confirm in time", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreRefusal refusal) {
                throw new ApiException(refusal.status(), refusal.code(), refusal.getMessage());
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreUnavailableException("the store failed", e.getCause());
        }
    }
}
