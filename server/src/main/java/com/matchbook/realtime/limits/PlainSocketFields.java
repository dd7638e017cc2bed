package com.matchbook.realtime.limits;

import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.common.socket.PlainSocket;

/**
 * Private fields of Helidon 4.5's {@code PlainSocket} that this server reads or replaces, having no accessor or
 * setting for them: the read buffer ({@code SocketReadBuffer}, and the frame reader's takeover in
 * {@code ws.wire.UpgradedSocket}) and the JDK socket under it. Each caller keeps working without the field, with the
 * memory that costs, when reflection fails; it says so once in the log.
 */
public final class PlainSocketFields {
    private PlainSocketFields() {
    }

    /**
     * The accessible field {@code name} of {@code PlainSocket}, or null (after telling {@code refusal}) when there is no
     * such field of {@code type} (another Helidon) or the JDK refuses access to it.
     */
    public static Field find(String name, Class<?> type, Refusal refusal) {
        try {
            Field f = PlainSocket.class.getDeclaredField(name);
            if (f.getType() != type) {
                throw new NoSuchFieldException("PlainSocket." + name + " is not a " + type.getSimpleName());
            }
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            refusal.log(e);
            return null;
        }
    }

    /** What a caller does without the field, logged at INFO the first time reflection fails, never again. */
    public static final class Refusal {
        private final System.Logger log;
        private final String event;
        private final AtomicBoolean told = new AtomicBoolean();

        /** @param event the log line's start, {@code event=NAME: what is kept instead} */
        public Refusal(System.Logger log, String event) {
            this.log = log;
            this.event = event;
        }

        /** Logs {@code e} if it is the first refusal. */
        public void log(Exception e) {
            if (told.compareAndSet(false, true)) {
                log.log(Level.INFO, event + " (" + e + ")");
            }
        }
    }
}
