package com.matchbook.realtime.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the scripted-server tests share: {@code bob}'s clients against {@link FakeServer}s, with a quick backoff, his
 * {@link Recorder}, and everything they opened closed in reverse order when the test ends.
 */
final class BobAgainstFake implements AutoCloseable {
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100));

    final Recorder bob = new Recorder();
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Closed with the rest when the test ends. */
    FakeServer fake(FakeServer f) {
        open.add(f);
        return f;
    }

    /** Bob's client of {@code fake}, recorded by {@link #bob}, with the test's own options on top. */
    MatchbookClient client(FakeServer fake, Consumer<MatchbookClientBuilder> options) {
        MatchbookClientBuilder builder = bob.attach(MatchbookClient.builder().server(fake.uri()).userId("bob")
                                                            .backoff(QUICK));
        options.accept(builder);
        MatchbookClient c = builder.build();
        open.add(c);
        return c;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }
}
