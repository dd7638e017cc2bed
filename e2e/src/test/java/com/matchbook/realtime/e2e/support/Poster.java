package com.matchbook.realtime.e2e.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Another service posting to one user over {@code POST /send-message}, one message after the other ("prefix 1",
 * "prefix 2", ...) on a virtual thread, while the test does something to the server: it goes on until the server no
 * longer answers (or {@link #MAX_POSTS}, or {@link #MAX_TIME}), and then says which messages the server accepted.
 */
public final class Poster {
    private static final int MAX_POSTS = 1_000;
    private static final Duration MAX_TIME = Duration.ofSeconds(20);

    /**
     * What became of the posts, in the order posted: {@code accepted} got 202 (a promise of delivery),
     * {@code uncertain} got no answer or an error that does not say "not stored" (so may or may not be delivered);
     * the rest were refused with 429 (not stored).
     */
    public record Outcome(List<String> posted, List<String> accepted, List<String> uncertain) {
        @Override
        public String toString() {
            return posted.size() + " posted, " + accepted.size() + " accepted, uncertain " + uncertain
                   + ", refused " + (posted.size() - accepted.size() - uncertain.size());
        }
    }

    private final CountDownLatch firstAccepted;
    private final int signalAfter;
    private final FutureTask<Outcome> task;

    private Poster(Endpoint server, String to, String prefix, int signalAfter) {
        this.firstAccepted = new CountDownLatch(signalAfter);
        this.signalAfter = signalAfter;
        this.task = new FutureTask<>(() -> post(server, to, prefix));
    }

    /** Starts posting; {@link #awaitAccepted} returns once {@code signalAfter} posts were accepted. */
    public static Poster start(Endpoint server, String to, String prefix, int signalAfter) {
        Poster poster = new Poster(server, to, prefix, signalAfter);
        Thread.ofVirtual().name("poster-" + to).start(poster.task);
        return poster;
    }

    /** Returns once the first {@code signalAfter} posts were accepted; fails if the poster ended before. */
    public void awaitAccepted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // The poster may end early (the server refused everything): check for that between short waits on the latch.
        while (!firstAccepted.await(Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                                    TimeUnit.MILLISECONDS)) {
            if (task.isDone() || System.nanoTime() >= deadline) {
                throw new AssertionError("the server did not accept " + signalAfter + " posts within " + timeout
                                                 + (task.isDone() ? ": " + describeDone() : ""));
            }
        }
    }

    /** Waits for the poster to end (the server stopped answering) and returns what became of each post. */
    public Outcome outcome(Duration timeout) throws InterruptedException {
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new AssertionError("the poster did not end within " + timeout + ": the server still answers");
        } catch (ExecutionException e) {
            throw new AssertionError("the poster failed: " + e.getCause(), e.getCause());
        }
    }

    private String describeDone() {
        try {
            return task.get().toString();
        } catch (InterruptedException | ExecutionException e) {
            return e.toString();
        }
    }

    private Outcome post(Endpoint server, String to, String prefix) {
        List<String> posted = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        List<String> uncertain = new ArrayList<>();
        Instant end = Instant.now().plus(MAX_TIME);
        for (int i = 1; i <= MAX_POSTS && Instant.now().isBefore(end) && !Thread.currentThread().isInterrupted(); i++) {
            String text = prefix + i;
            posted.add(text);
            Optional<SendMessage.Answer> answer = SendMessage.attempt(server, to, "server", text);
            if (answer.isEmpty()) {
                uncertain.add(text);
                break;
            }
            int status = answer.get().status();
            if (status == 202) {
                accepted.add(text);
                firstAccepted.countDown();
            } else if (status != 429) {
                uncertain.add(text);
            }
        }
        return new Outcome(List.copyOf(posted), List.copyOf(accepted), List.copyOf(uncertain));
    }
}
