package com.matchbook.realtime.message;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ids are 26 Crockford base32 characters, the first ten the time, and do not repeat. */
class MessageIdsTest {
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    @Test
    void anIdIsTwentySixCrockfordCharactersWhoseFirstTenAreTheTime() {
        long before = System.currentTimeMillis();
        String id = new MessageIds().next();
        long after = System.currentTimeMillis();
        assertEquals(26, id.length());
        long millis = 0;
        for (int i = 0; i < 26; i++) {
            int digit = CROCKFORD.indexOf(id.charAt(i));
            assertTrue(digit >= 0, () -> "not Crockford base32: " + id);
            if (i < 10) {
                millis = millis << 5 | digit;
            }
        }
        long held = millis;
        assertTrue(held >= before && held <= after, () -> id + " holds " + held + ", not " + before + ".." + after);
    }

    @Test
    void idsDoNotRepeatAndTheirRandomPartUsesEveryCharacter() {
        MessageIds ids = new MessageIds();
        Set<String> seen = new HashSet<>();
        Set<Character> randomChars = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = ids.next();
            assertTrue(seen.add(id), () -> "repeated: " + id);
            for (char c : id.substring(10).toCharArray()) {
                randomChars.add(c);
            }
        }
        assertEquals(32, randomChars.size());
    }

    @Test
    void laterIdsSortAfterEarlierOnesAcrossMilliseconds() {
        MessageIds ids = new MessageIds();
        String first = ids.next();
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() == start) {
            Thread.onSpinWait();
        }
        String second = ids.next();
        assertTrue(first.compareTo(second) < 0, () -> first + " then " + second);
    }
}
