package com.matchbook.realtime;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager closes every handler from its own shutdown hook, which runs at the same time as ours: the
 * drain's log lines ({@code event=stopping}, {@code event=drain}, {@code event=stopped}) were sometimes lost. This one
 * ignores that hook's reset and is reset by {@link Main} once the drain has been logged.
 */
public final class ShutdownLogManager extends LogManager {
    private volatile boolean shuttingDown;

    /** For {@code java.util.logging.manager}. */
    public ShutdownLogManager() {
    }

    @Override
    public void reset() {
        if (shuttingDown || !Thread.currentThread().getClass().getName().startsWith(LogManager.class.getName())) {
            super.reset();
        }
    }

    /** Called at the very end of our shutdown: now the handlers may close. */
    static void finish() {
        if (LogManager.getLogManager() instanceof ShutdownLogManager m) {
            m.shuttingDown = true;
            m.reset();
        }
    }
}
