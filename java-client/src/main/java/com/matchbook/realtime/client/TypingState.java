package com.matchbook.realtime.client;

import java.util.Optional;

/** A typing indicator's state; relayed, never stored. */
public enum TypingState {
    START("start"),
    STOP("stop");

    private final String wire;

    TypingState(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    static Optional<TypingState> fromWire(String value) {
        for (TypingState s : values()) {
            if (s.wire.equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
