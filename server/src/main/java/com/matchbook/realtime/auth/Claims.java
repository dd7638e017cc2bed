package com.matchbook.realtime.auth;

import java.time.Instant;

/**
 * What a verified token says.
 *
 * @param subject   the user id ({@code sub})
 * @param expiresAt     {@code exp}
 * @param honouredUntil {@code exp} plus the configured leeway: when a connection holding it is closed with 4001
 * @param service   whether it carries {@code "role": "service"}: may send as anyone and broadcast
 * @param admin     whether it carries {@code "role": "admin"}: may use the operator console (PROTOCOL.md "Operator
 *                  console")
 */
public record Claims(String subject, Instant expiresAt, Instant honouredUntil, boolean service, boolean admin) {
}
