package com.matchbook.realtime.ws;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsUpgradeException;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.auth.Claims;
import com.matchbook.realtime.auth.TokenException;
import com.matchbook.realtime.hub.Refusal;
import com.matchbook.realtime.limits.Admission;
import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.ws.wire.UpgradeRefused;

/**
 * The upgrade policy, in the order a refusal is decided: admission (503 on the upgrade), then the request itself
 * (4000), the page's origin (1008), and the token (4001, 4003). Every check that can refuse a socket lives here.
 */
final class Gate {
    private final Admission admission;
    private final Access access;
    private final List<String> allowedOrigins;

    Gate(Admission admission, Access access, Settings settings) {
        this.admission = admission;
        this.access = access;
        this.allowedOrigins = settings.allowedOrigins();
    }

    /**
     * Decides the upgrade, asking admission exactly once.
     *
     * @throws UpgradeRefused over the admission rate or while draining: the upgrader answers 503 with Retry-After
     */
    Handshake admit(HttpPrologue prologue, Headers headers) {
        OptionalLong retryAfter = admission.admit();
        if (retryAfter.isPresent()) {
            throw new UpgradeRefused("too many new connections right now; retry after the delay",
                                     retryAfter.getAsLong());
        }
        Handshake h = Handshake.parse(prologue.query());
        if (h.refusal().isPresent()) {
            return h;
        }
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (origin.isPresent() && !originAllowed(origin.get(), headers.first(HeaderNames.HOST))) {
            return h.withRefusal(new Refusal(CloseCodes.POLICY, "origin not allowed"));
        }
        if (!access.enabled()) {
            return h;
        }
        Optional<String> token = Access.bearer(headers).or(h::token);
        try {
            Claims claims = access.tokens().orElseThrow().verify(token.orElse(""));
            if (!claims.subject().equals(h.userId())) {
                return h.withRefusal(new Refusal(CloseCodes.FORBIDDEN, "token is for another user"));
            }
            return h.withClaims(claims);
        } catch (TokenException e) {
            return h.withRefusal(new Refusal(CloseCodes.UNAUTHORIZED, e.getMessage()));
        }
    }

    /**
     * Configured: exact string match. Not configured: the page must come from this very host (what a browser calls
     * same-origin, minus the scheme, which a TLS-terminating proxy rewrites).
     */
    private boolean originAllowed(String origin, Optional<String> host) {
        if (!allowedOrigins.isEmpty()) {
            return allowedOrigins.contains(origin);
        }
        int schemeEnd = origin.indexOf("://");
        String authority = schemeEnd < 0 ? origin : origin.substring(schemeEnd + 3);
        return host.map(h -> h.equalsIgnoreCase(authority) || h.equalsIgnoreCase(withoutDefaultPort(authority, origin)))
                .orElse(false);
    }

    private static String withoutDefaultPort(String authority, String origin) {
        if (origin.startsWith("http://") && authority.endsWith(":80")) {
            return authority.substring(0, authority.length() - 3);
        }
        if (origin.startsWith("https://") && authority.endsWith(":443")) {
            return authority.substring(0, authority.length() - 4);
        }
        return authority + (origin.startsWith("https://") ? ":443" : ":80");
    }
}
