package com.matchbook.realtime.protocol;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** RFC 6455 5.5: a close reason fits 123 bytes of valid UTF-8. */
class CloseReasonsTest {

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aReasonThatFitsIsKeptWhole() {
        assertThat(CloseReasons.truncate("too slow"), is("too slow"));
        String exactly = "x".repeat(123);
        assertThat(CloseReasons.truncate(exactly), is(exactly));
        assertThat(CloseReasons.truncate(""), is(""));
    }

    @Test
    void aLongAsciiReasonIsCutTo123Bytes() {
        assertThat(CloseReasons.truncate("x".repeat(200)), is("x".repeat(123)));
    }

    @Test
    void aTwoByteCharacterAcrossTheLimitIsDroppedWhole() {
        // 122 ASCII bytes then "é" (2 bytes) would end at byte 124: the é goes, nothing is half-written.
        String reason = "x".repeat(122) + "é" + "tail";
        String cut = CloseReasons.truncate(reason);
        assertThat(cut, is("x".repeat(122)));
        assertThat(bytes(cut), is(122));
    }

    @Test
    void threeByteCharactersAreCutAtACharacterBoundary() {
        String reason = "€".repeat(50); // 150 bytes
        String cut = CloseReasons.truncate(reason);
        assertThat(cut, is("€".repeat(41))); // 123 bytes exactly
        assertThat(bytes(cut), is(123));
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        // "😀" is 4 bytes in UTF-8 and two chars in Java; 121 + 4 would be 125 bytes.
        String reason = "x".repeat(121) + "😀" + "y";
        String cut = CloseReasons.truncate(reason);
        assertThat(cut, is("x".repeat(121)));
        assertThat(new String(cut.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), is(cut));
    }
}
