package com.matchbook.realtime.e2e.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link ServerProcess} test parameter: a server for this test alone (for tests that kill or stop it), stopped
 * after the test. Without it the parameter is the suite's shared server.
 *
 * <p>{@code @OwnServer({"matchbook.auth.secret=...", "matchbook.auth.dev-tokens=true"})} starts it with these
 * settings ({@code key=value}, passed as {@code -Dkey=value}) on top of {@link ServerProcess#TEST_SETTINGS}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface OwnServer {
    /** Extra server settings, {@code key=value} each. */
    String[] value() default {};
}
