package com.matchbook.realtime.e2e.support;

import java.net.URI;

/**
 * Where browsers and HTTP calls go: a server process, or a load balancer in front of several. Pages opened on an
 * endpoint take everything else (the socket, history, tokens) from {@code location}, so they need no change.
 */
public interface Endpoint {
    /** {@code http://127.0.0.1:port}, without a trailing slash. */
    String baseUrl();

    default URI uri(String pathAndQuery) {
        return URI.create(baseUrl() + pathAndQuery);
    }
}
