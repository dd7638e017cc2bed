package com.matchbook.realtime.protocol;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** PROTOCOL.md "Identity": 1 to 64 characters of A-Z a-z 0-9 . _ - */
class UserIdTest {

    @Test
    void lettersDigitsDotUnderscoreAndDashUpTo64AreValid() {
        assertThat(UserId.isValid("Alice.B_c-9"), is(true));
        assertThat(UserId.isValid("a"), is(true));
        assertThat(UserId.isValid("a".repeat(64)), is(true));
    }

    @Test
    void emptyTooLongOrOtherCharactersAreRefused() {
        assertThat(UserId.isValid(null), is(false));
        assertThat(UserId.isValid(""), is(false));
        assertThat(UserId.isValid("a".repeat(65)), is(false));
        assertThat(UserId.isValid("bad id"), is(false));
        assertThat(UserId.isValid("bad/id"), is(false));
        assertThat(UserId.isValid("ümlaut"), is(false));
    }

    @Test
    void theProblemSaysWhichPartOfTheRuleFailed() {
        assertThat(UserId.problem(null), is("missing user id"));
        assertThat(UserId.problem(""), is("empty user id"));
        assertThat(UserId.problem("a".repeat(65)), is("user id longer than 64 characters"));
        assertThat(UserId.problem("bad id"), is("user id may only contain A-Z a-z 0-9 . _ -"));
    }

    @Test
    void requireReturnsAValidIdAndNamesARefusedOne() {
        assertThat(UserId.require("bob"), is("bob"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserId.require("bad/id"));
        assertThat(e.getMessage(), is("user id must be 1 to 64 characters of A-Z a-z 0-9 . _ -, got 'bad/id'"));
    }
}
