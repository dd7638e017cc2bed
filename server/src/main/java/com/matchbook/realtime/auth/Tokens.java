package com.matchbook.realtime.auth;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** HS256 JWTs with nimbus-jose-jwt: verification for every door, and signing for dev tokens and tests. */
public final class Tokens {
    /** The contract allows at most 60 s of clock skew on {@code exp}. */
    public static final Duration MAX_LEEWAY = Duration.ofSeconds(60);
    /** HS256 needs a key of at least 256 bits (RFC 7518 3.2); nimbus refuses shorter ones too. */
    private static final int MIN_SECRET_BYTES = 32;

    private final MACVerifier verifier;
    private final MACSigner signer;
    private final Clock clock;
    private final Duration leeway;

    public Tokens(String secret, Duration leeway, Clock clock) {
        if (leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0) {
            throw new IllegalArgumentException("matchbook.auth.leeway must be between PT0S and PT60S");
        }
        this.leeway = leeway;
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("matchbook.auth.secret must be at least " + MIN_SECRET_BYTES
                                                       + " bytes for HS256");
        }
        try {
            this.verifier = new MACVerifier(key);
            this.signer = new MACSigner(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("matchbook.auth.secret is not usable: " + e.getMessage(), e);
        }
        this.clock = clock;
    }

    public Claims verify(String token) {
        if (token == null || token.isBlank()) {
            throw new TokenException("token missing");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                throw new TokenException("token invalid: only HS256 is accepted");
            }
            if (!jwt.verify(verifier)) {
                throw new TokenException("token invalid: bad signature");
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException e) {
            throw new TokenException("token invalid: not a signed JWT");
        }
        String sub = claims.getSubject();
        Date exp = claims.getExpirationTime();
        if (sub == null || sub.isEmpty()) {
            throw new TokenException("token invalid: no sub");
        }
        if (exp == null) {
            throw new TokenException("token invalid: no exp");
        }
        Instant expiresAt = exp.toInstant();
        if (clock.instant().isAfter(expiresAt.plus(leeway))) {
            throw new TokenException("token expired");
        }
        Object role = claims.getClaim("role");
        return new Claims(sub, expiresAt, expiresAt.plus(leeway), "service".equals(role), "admin".equals(role));
    }

    public String sign(String subject, Duration validFor, boolean service) {
        return sign(subject, validFor, service ? Optional.of("service") : Optional.empty());
    }

    /** A token with an optional {@code role} claim ({@code "service"} or {@code "admin"}). */
    public String sign(String subject, Duration validFor, Optional<String> role) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plus(validFor)));
        role.ifPresent(r -> claims.claim("role", r));
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }
}
