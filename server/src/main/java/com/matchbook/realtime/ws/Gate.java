package com.matchbook.realtime.ws;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;

/** The upgrade policy: who may open a socket. Every check that can refuse a socket lives here. */
final class Gate {

    Handshake admit(HttpPrologue prologue, Headers headers) {
        return Handshake.parse(prologue.query());
    }
}
