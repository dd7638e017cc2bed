package com.matchbook.realtime.e2e.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 JWTs with a {@code role} claim, signed with the server's secret as an operator's identity provider would
 * (RFC 7519, RFC 7515 with HMAC-SHA256). The dev token endpoint hands out user tokens only, by design.
 */
public final class AdminTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private AdminTokens() {
    }

    public static String sign(String secret, String subject, String role) {
        long exp = Instant.now().plus(Duration.ofMinutes(10)).getEpochSecond();
        String header = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = B64.encodeToString(("{\"sub\":\"" + subject + "\",\"exp\":" + exp + ",\"role\":\"" + role + "\"}")
                                                   .getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + B64.encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
