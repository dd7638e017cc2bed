package com.matchbook.realtime.message;

import java.time.Instant;

/**
 * What makes a stream entry an update entry (docs/protocol.md {@code update} frame, "Edit and delete (1.1)"): an
 * earlier message, named by the entry's id, was edited or deleted.
 *
 * @param action edit or delete
 * @param at     when the server accepted the change
 */
public record Update(Action action, Instant at) {

    /** The {@code action} field. */
    public enum Action {
        EDIT("edit"), DELETE("delete");

        private final String wire;

        Action(String wire) {
            this.wire = wire;
        }

        /** The {@code action} field's value. */
        public String wire() {
            return wire;
        }

        /** The action named {@code wire}; {@code IllegalArgumentException} for anything else. */
        public static Action of(String wire) {
            for (Action a : values()) {
                if (a.wire.equals(wire)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("no action " + wire);
        }
    }
}
