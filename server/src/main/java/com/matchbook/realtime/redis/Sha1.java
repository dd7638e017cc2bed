package com.matchbook.realtime.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/** The SHA-1 Redis names a script by, computed once per script. */
final class Sha1 {
    private static final ConcurrentHashMap<String, String> CACHE = new ConcurrentHashMap<>();

    private Sha1() {
    }

    static String hex(String script) {
        return CACHE.computeIfAbsent(script, s -> {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                                                        .digest(s.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is required by the JDK", e);
            }
        });
    }
}
