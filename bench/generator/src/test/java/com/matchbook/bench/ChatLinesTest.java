package com.matchbook.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatLinesTest {
    @Test
    void linesAreChatSizedAndGoIntoJsonAsTheyAre() {
        String[] lines = ChatLines.generate(2_000, 1);
        int shortest = Integer.MAX_VALUE;
        int longest = 0;
        for (String l : lines) {
            shortest = Math.min(shortest, l.length());
            longest = Math.max(longest, l.length());
            assertTrue(l.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\'), l);
            assertFalse(l.isBlank());
        }
        assertTrue(shortest >= ChatLines.MIN_CHARS, "shortest " + shortest);
        assertTrue(longest <= ChatLines.MAX_CHARS, "longest " + longest);
        // the spread is used: some short lines and some long ones
        assertTrue(shortest < 40 && longest > 180, shortest + ".." + longest);
    }

    @Test
    void theSameSeedGivesTheSameLines() {
        assertArrayEquals(ChatLines.generate(50, 42), ChatLines.generate(50, 42));
    }
}
