package com.matchbook.realtime.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What one client's user sees: its messages, receipts, typing, errors and state changes, in arrival order. Tests
 * wait on it with a deadline: every event wakes the waiters, so nothing sleeps blindly.
 */
final class Recorder {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    final List<Message> messages = new ArrayList<>();
    final List<Receipt> receipts = new ArrayList<>();
    final List<Typing> typing = new ArrayList<>();
    final List<ClientError> errors = new ArrayList<>();
    final List<ConnectionState> states = new ArrayList<>();
    final List<String> causes = new ArrayList<>();

    MatchbookClientBuilder attach(MatchbookClientBuilder builder) {
        return builder.onMessage(m -> add(messages, m))
                .onReceipt(r -> add(receipts, r))
                .onTyping(t -> add(typing, t))
                .onError(e -> add(errors, e))
                .onState((from, to, cause) -> {
                    synchronized (this) {
                        states.add(to);
                        causes.add(from + "->" + to + ": " + cause);
                        notifyAll();
                    }
                });
    }

    synchronized <T> void add(List<T> list, T item) {
        list.add(item);
        notifyAll();
    }

    /**
     * Waits until {@code condition} holds (checked under this recorder's lock), or fails the test. Events wake the
     * wait; it also re-checks every 50 ms for conditions no listener reports (such as the attempt counter).
     */
    synchronized void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                fail("timed out waiting for " + what + "; states " + causes + ", messages " + messages
                             + ", errors " + errors);
            }
            try {
                wait(Math.min(leftMs, 50));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    void awaitState(MatchbookClient client, ConnectionState state) {
        await(client.userId() + " " + state, () -> client.state() == state && !states.isEmpty()
                && states.getLast() == state);
    }

    void awaitMessages(int count) {
        await(count + " messages", () -> messages.size() >= count);
    }

    synchronized List<Message> messages() {
        return new ArrayList<>(messages);
    }

    synchronized List<String> texts() {
        return messages.stream().map(m -> m.text().orElse("")).toList();
    }

    synchronized List<Long> seqs() {
        return messages.stream().map(m -> m.seq().orElse(-1)).toList();
    }

    synchronized List<ConnectionState> states() {
        return new ArrayList<>(states);
    }

    synchronized List<ClientError> errors() {
        return new ArrayList<>(errors);
    }

    synchronized List<Receipt> receipts() {
        return new ArrayList<>(receipts);
    }
}
