package com.matchbook.realtime.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The server's base URIs (one per node) and the URLs derived from them. The socket URL is rebuilt for every attempt,
 * so its resume cursor and token are always the current ones; each reconnect moves on to the next node.
 */
final class Endpoints {
    private final List<URI> bases;
    private int index;

    Endpoints(List<URI> bases) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("at least one server URI is needed");
        }
        for (URI base : bases) {
            String scheme = base.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || base.getHost() == null) {
                throw new IllegalArgumentException("server URI must be http://host[:port][/path] or https://..., got "
                                                           + base);
            }
        }
        this.bases = List.copyOf(bases);
    }

    /** The node of the current attempt, and the one history is fetched from. */
    URI current() {
        return bases.get(index);
    }

    /** Moves to the next node (wraps around); a single node stays where it is. */
    void rotate() {
        index = (index + 1) % bases.size();
    }

    /** {@code ws[s]://host[:port][/path]/ws?id=..[&since=..][&token=..]} */
    static URI socket(URI base, String userId, OptionalLong since, Optional<String> token) {
        String scheme = "https".equalsIgnoreCase(base.getScheme()) ? "wss" : "ws";
        StringBuilder query = new StringBuilder("id=").append(encode(userId));
        since.ifPresent(s -> query.append("&since=").append(s));
        token.ifPresent(t -> query.append("&token=").append(encode(t)));
        return URI.create(scheme + "://" + base.getRawAuthority() + path(base, "/ws") + "?" + query);
    }

    /** {@code GET /api/users/{id}/messages?since=..&limit=..} on the same node. */
    static URI history(URI base, String userId, long since, int limit) {
        return URI.create(base.getScheme() + "://" + base.getRawAuthority()
                                  + path(base, "/api/users/" + encode(userId) + "/messages")
                                  + "?since=" + since + "&limit=" + limit);
    }

    /** docs/protocol.md 1.1 {@code GET /api/users/{id}/conversations?limit=..}. */
    static URI conversations(URI base, String userId, int limit) {
        return api(base, "/api/users/" + encode(userId) + "/conversations", "limit=" + limit);
    }

    /** docs/protocol.md 1.1 {@code GET /api/users/{id}/conversations/{with}/messages?[before=..&]limit=..}. */
    static URI conversationMessages(URI base, String userId, String with, OptionalLong before, int limit) {
        String query = (before.isPresent() ? "before=" + before.getAsLong() + "&" : "") + "limit=" + limit;
        return api(base, "/api/users/" + encode(userId) + "/conversations/" + encode(with) + "/messages", query);
    }

    /** docs/protocol.md 1.1 {@code /api/users/{id}/blocks}, or {@code .../blocks/{other}} with {@code other}. */
    static URI blocks(URI base, String userId, Optional<String> other) {
        return api(base, "/api/users/" + encode(userId) + "/blocks" + other.map(o -> "/" + encode(o)).orElse(""), "");
    }

    private static URI api(URI base, String path, String query) {
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path(base, path)
                                  + (query.isEmpty() ? "" : "?" + query));
    }

    /** Keeps a base path (a server mounted under {@code /chat}), without doubling the slash. */
    private static String path(URI base, String suffix) {
        String prefix = base.getRawPath() == null ? "" : base.getRawPath();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix + suffix;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
