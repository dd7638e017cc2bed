package com.matchbook.realtime.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The messages one class's logger writes while this is open (the server logs through {@link System.Logger}, which is
 * java.util.logging here): for tests that assert what an operator would read, or that a client's mistake logs
 * nothing alarming.
 */
public final class LogLines extends Handler implements AutoCloseable {
    private final Logger logger;
    private final Level least;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogLines(Logger logger, Level least) {
        this.logger = logger;
        this.least = least;
    }

    /** Every message {@code source}'s logger writes from now until {@link #close}. */
    public static LogLines of(Class<?> source) {
        return of(source, Level.ALL);
    }

    /** The messages at {@code least} or above that {@code source}'s logger writes from now until {@link #close}. */
    public static LogLines of(Class<?> source, Level least) {
        LogLines l = new LogLines(Logger.getLogger(source.getName()), least);
        l.logger.addHandler(l);
        return l;
    }

    /** The messages so far, oldest first. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    public boolean any(Predicate<String> test) {
        return lines.stream().anyMatch(test);
    }

    @Override
    public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= least.intValue()) {
            lines.add(r.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
