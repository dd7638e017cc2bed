package com.matchbook.realtime.client;

/** Handle of a handler added at run time; closing it removes the handler. Works in try-with-resources. */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
