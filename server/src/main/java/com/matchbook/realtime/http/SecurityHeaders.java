package com.matchbook.realtime.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Headers every response carries. The pages are same-origin only: scripts, styles, the socket and the API; no
 * inline script or style, no framing. User text is rendered with textContent, and this policy is the second fence.
 */
public final class SecurityHeaders implements Filter {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(HeaderNames.create("Content-Security-Policy"), CSP)
                .header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff")
                .header(HeaderNames.create("X-Frame-Options"), "DENY")
                .header(HeaderNames.create("Referrer-Policy"), "no-referrer")
                .header(HeaderNames.create("Cross-Origin-Opener-Policy"), "same-origin")
                .header(HeaderNames.create("Permissions-Policy"), "camera=(), microphone=(), geolocation=()");
        chain.proceed();
    }
}
