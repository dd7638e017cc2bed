package com.matchbook.realtime.client;

/** Told about every change of {@link ConnectionState}, in order, on the client's callback thread. */
@FunctionalInterface
public interface StateListener {
    /**
     * @param from  the state before
     * @param to    the state now
     * @param cause why, in words (for logs and status lines), e.g. {@code "closed 1001 server going away"}
     */
    void stateChanged(ConnectionState from, ConnectionState to, String cause);
}
