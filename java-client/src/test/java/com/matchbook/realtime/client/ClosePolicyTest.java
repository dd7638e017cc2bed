package com.matchbook.realtime.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class ClosePolicyTest {

    @ParameterizedTest(name = "{0} \"{1}\" -> reconnect={2} refreshToken={3} minDelayMs={4}")
    @CsvSource(delimiter = '|', value = {
            "1000 | ''                                    | false | false | 0",
            "1002 | protocol error                        | false | false | 0",
            "1007 | invalid UTF-8                         | false | false | 0",
            "1008 | origin not allowed                    | false | false | 0",
            "4030 | closed by an operator                 | false | false | 0",
            "4000 | bad request: empty user id            | false | false | 0",
            "4003 | token is for another user             | false | false | 0",
            "1001 | server going away; retry-after-ms=1234 | true  | false | 1234",
            "1001 | ''                                    | true  | false | 0",
            "1006 | connection lost                       | true  | false | 0",
            "1009 | text message over 65536 bytes         | true  | false | 0",
            "1011 | internal error                        | true  | false | 0",
            "4001 | token expired                         | true  | true  | 0",
            "4008 | too slow                              | true  | false | 0",
            "4029 | retry-after-ms=5000                   | true  | false | 5000",
            "4999 | a code this version does not know     | true  | false | 0",
    })
    void decidesFromTheCodeAndTheReasonHint(int code, String reason, boolean reconnect, boolean refreshToken,
                                            long minDelayMs) {
        ClosePolicy.Decision d = ClosePolicy.decide(code, reason);
        assertThat(d.reconnect(), is(reconnect));
        assertThat(d.refreshToken(), is(refreshToken));
        assertThat(d.minDelayMs(), is(minDelayMs));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "retry-after-ms=250           | 250",
            "going away;retry-after-ms=9  | 9",
            "going away, retry-after-ms=7 | 7",
            "xretry-after-ms=5            | 0",
            "retry-after-ms=              | 0",
            "''                           | 0",
    })
    void readsTheRetryHint(String reason, long expected) {
        assertThat(ClosePolicy.retryAfterMs(reason), is(expected));
    }
}
