package com.matchbook.realtime.e2e.support;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Test user ids. The shared server keeps every user's history for the whole run, so each test names its users
 * afresh ({@code alice-k3x9}) and never sees another test's messages replayed.
 */
public final class Users {
    private Users() {
    }

    public static String unique(String name) {
        return name + "-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36), 36);
    }
}
