package com.matchbook.realtime.ws.wire;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The agreed {@code permessage-deflate} parameters (RFC 7692 7.1) and the negotiation that picks them from a client's
 * {@code Sec-WebSocket-Extensions} offers.
 *
 * <p>{@code java.util.zip} always deflates with a 32 KiB window (15 bits) and cannot be told a smaller one. An offer
 * that asks the server to compress with fewer bits ({@code server_max_window_bits=N}) is honoured another way: the
 * message is compressed in pieces of 2^N bytes with a full flush between them, which resets the compressor's
 * dictionary, so no back-reference reaches further than 2^N bytes (see {@link MessageDeflater}). The server always compresses each message
 * on its own ({@code server_no_context_takeover}, which 7.1.1.1 lets a server add unasked): it then keeps no deflate
 * state between messages, so an idle connection costs no compressor memory. What the client asks for itself
 * ({@code client_no_context_takeover}, {@code client_max_window_bits}) is honoured: the server's inflater reads any
 * window up to 15 bits.
 *
 * @param clientNoContextTakeover the client resets its compressor after each message, so the server may too
 * @param serverWindowBits        the server's compression window in bits, 8-15 (15 unless the offer asked less)
 * @param serverWindowBitsAsked   the offer named {@code server_max_window_bits}: the answer must repeat it (7.1.2.1)
 */
record DeflateParams(boolean clientNoContextTakeover, int serverWindowBits, boolean serverWindowBitsAsked) {
    static final String EXTENSION = "permessage-deflate";
    private static final int MAX_WINDOW_BITS = 15;
    private static final int MIN_WINDOW_BITS = 8;

    /**
     * Picks the first acceptable offer, RFC 7692 5: offers are comma-separated, each {@code name; param[=value]...}.
     *
     * @param headerValues every {@code Sec-WebSocket-Extensions} value of the request
     * @return the accepted parameters, empty when no offer can be honoured
     */
    static Optional<DeflateParams> negotiate(List<String> headerValues) {
        for (String header : headerValues) {
            for (String offer : header.split(",")) {
                Optional<DeflateParams> accepted = accept(offer);
                if (accepted.isPresent()) {
                    return accepted;
                }
            }
        }
        return Optional.empty();
    }

    /** The response's extension header (RFC 7692 7.1): what the server agreed to. */
    String responseHeader() {
        return EXTENSION + "; server_no_context_takeover"
                + (clientNoContextTakeover ? "; client_no_context_takeover" : "")
                + (serverWindowBitsAsked ? "; server_max_window_bits=" + serverWindowBits : "");
    }

    private static Optional<DeflateParams> accept(String offer) {
        String[] parts = offer.split(";");
        if (!parts[0].trim().equalsIgnoreCase(EXTENSION)) {
            return Optional.empty();
        }
        boolean clientNoContext = false;
        boolean seenServerNoContext = false;
        boolean seenServerBits = false;
        int serverBits = MAX_WINDOW_BITS;
        boolean seenClientBits = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(unquote(p.substring(eq + 1).trim()));
            switch (name) {
                // RFC 7692 7: a parameter given twice, or with a value it must not have, makes the offer invalid.
                case "server_no_context_takeover" -> {
                    if (seenServerNoContext || value.isPresent()) {
                        return Optional.empty();
                    }
                    seenServerNoContext = true;
                }
                case "client_no_context_takeover" -> {
                    if (clientNoContext || value.isPresent()) {
                        return Optional.empty();
                    }
                    clientNoContext = true;
                }
                case "server_max_window_bits" -> {
                    // 7.1.2.1: must have a value 8-15.
                    if (seenServerBits || value.isEmpty() || windowBits(value.get()) < 0) {
                        return Optional.empty();
                    }
                    seenServerBits = true;
                    serverBits = windowBits(value.get());
                }
                case "client_max_window_bits" -> {
                    // 7.1.2.2: no value, or 8-15; any window up to 15 bits inflates.
                    if (seenClientBits || value.isPresent() && windowBits(value.get()) < MIN_WINDOW_BITS) {
                        return Optional.empty();
                    }
                    seenClientBits = true;
                }
                default -> {
                    return Optional.empty();   // 7: an unknown parameter declines the offer
                }
            }
        }
        return Optional.of(new DeflateParams(clientNoContext, serverBits, seenServerBits));
    }

    /**
     * @return 8-15, or -1 when the value is not a window size RFC 7692 7.1.2.1 allows ("a decimal integer value
     *         without leading zeroes between 8 to 15, inclusive": so {@code 08} declines the offer)
     */
    private static int windowBits(String value) {
        if (value.length() < 1 || value.length() > 2 || !value.chars().allMatch(Character::isDigit)
                || value.startsWith("0")) {
            return -1;
        }
        int bits = Integer.parseInt(value);
        return bits >= MIN_WINDOW_BITS && bits <= MAX_WINDOW_BITS ? bits : -1;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
