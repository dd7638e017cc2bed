package com.matchbook.realtime.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Catches every log record that carries a stack trace while it is open: a client's bad input must never produce one
 * (PROTOCOL.md "Framing and handshake": "logged as one line without a stack trace").
 */
public final class StackTraces implements AutoCloseable {
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getThrown() != null) {
                seen.add(r.getLoggerName() + ": " + r.getMessage() + " / " + r.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private StackTraces() {
        Logger.getLogger("").addHandler(handler);
    }

    public static StackTraces watch() {
        return new StackTraces();
    }

    /** The records with a throwable logged so far. */
    public List<String> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
