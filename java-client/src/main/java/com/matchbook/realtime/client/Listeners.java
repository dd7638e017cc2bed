package com.matchbook.realtime.client;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The user's listeners and channel handlers. Called on the callback thread only; each listener is guarded on its
 * own, so one that throws neither breaks the connection nor keeps the others from hearing the event.
 */
final class Listeners {
    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());

    final List<StateListener> state = new CopyOnWriteArrayList<>();
    final List<Consumer<Message>> messages = new CopyOnWriteArrayList<>();
    final List<Consumer<Receipt>> receipts = new CopyOnWriteArrayList<>();
    final List<Consumer<Typing>> typing = new CopyOnWriteArrayList<>();
    final List<Consumer<Update>> updates = new CopyOnWriteArrayList<>();
    final List<Consumer<ClientError>> errors = new CopyOnWriteArrayList<>();
    private final Map<String, List<Consumer<Message>>> channels = new ConcurrentHashMap<>();

    /** A builder may build several clients: each gets its own lists, so handlers added later stay its own. */
    Listeners copy() {
        Listeners c = new Listeners();
        c.state.addAll(state);
        c.messages.addAll(messages);
        c.receipts.addAll(receipts);
        c.typing.addAll(typing);
        c.updates.addAll(updates);
        c.errors.addAll(errors);
        channels.forEach((channel, handlers) -> c.channels.put(channel, new CopyOnWriteArrayList<>(handlers)));
        return c;
    }

    Registration onChannel(String channel, Consumer<Message> handler) {
        List<Consumer<Message>> list = channels.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>());
        list.add(handler);
        return () -> list.remove(handler);
    }

    /** A listener added at run time (a conversation view, or the app's own), removed by closing the registration. */
    static <T> Registration add(List<Consumer<T>> list, Consumer<T> listener) {
        list.add(listener);
        return () -> list.remove(listener);
    }

    void stateChanged(ConnectionState from, ConnectionState to, String cause) {
        for (StateListener l : state) {
            guard("state", () -> l.stateChanged(from, to, cause));
        }
    }

    /** Every message listener, then the handlers of the message's channel. */
    void message(Message m) {
        each("message", messages, m);
        each("channel " + m.channel(), channels.getOrDefault(m.channel(), List.of()), m);
    }

    void receipt(Receipt r) {
        each("receipt", receipts, r);
    }

    void update(Update u) {
        each("update", updates, u);
    }

    void typing(Typing t) {
        each("typing", typing, t);
    }

    void error(ClientError e) {
        each("error", errors, e);
    }

    private static <T> void each(String what, List<Consumer<T>> listeners, T event) {
        for (Consumer<T> l : listeners) {
            guard(what, () -> l.accept(event));
        }
    }

    private static void guard(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | AssertionError e) {
            LOG.log(Level.WARNING, "event=listener-failed listener=\"" + what + "\"", e);
        }
    }
}
