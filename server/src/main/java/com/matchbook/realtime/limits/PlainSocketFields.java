package com.matchbook.realtime.limits;

import java.lang.reflect.Field;

import io.helidon.common.socket.PlainSocket;

/**
 * Private fields of Helidon 4.5's {@code PlainSocket} that this server reads or replaces, having no accessor or
 * setting for them: the read buffer ({@code SocketReadBuffer}, and the frame reader's takeover in
 * {@code ws.wire.UpgradedSocket}) and the JDK socket under it. Each caller keeps working without the field, with the
 * memory that costs, when this fails.
 */
public final class PlainSocketFields {
    private PlainSocketFields() {
    }

    /**
     * The accessible field {@code name} of {@code PlainSocket}.
     *
     * @throws ReflectiveOperationException when there is no such field or it is not of {@code type} (another Helidon)
     * @throws RuntimeException             when the JDK refuses access to it
     */
    public static Field find(String name, Class<?> type) throws ReflectiveOperationException {
        Field f = PlainSocket.class.getDeclaredField(name);
        if (f.getType() != type) {
            throw new NoSuchFieldException("PlainSocket." + name + " is not a " + type.getSimpleName());
        }
        f.setAccessible(true);
        return f;
    }
}
