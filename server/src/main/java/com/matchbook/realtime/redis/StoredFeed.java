package com.matchbook.realtime.redis;

import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.List;
import java.util.function.ToLongFunction;

import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.store.MessageStore;

/**
 * {@link RedisStore}'s announcements: the store side of this node's one Redis subscription. The stream scripts
 * ({@link RedisStreamScripts}) publish each durable entry, as {@code M<user>\n<entry>}, to the channels of the nodes
 * holding its user, in the script that numbers it; the subscription hands those publications here and each goes to
 * the store's {@link MessageStore.StoredListener}. Redis delivers one channel's publications in the order they were
 * made, and scripts run one at a time, so a user's entries reach the listener in seq order.
 *
 * <p>Publications made while the subscription was down are gone; {@link #catchUp} reads what they carried from the
 * streams and announces it (the listener may then see an entry twice, as after any replay; delivery drops a seq a
 * connection already has).
 */
final class StoredFeed {
    /** First character of a publication that carries a stored entry. */
    static final char PREFIX = 'M';
    private static final System.Logger LOG = System.getLogger(StoredFeed.class.getName());
    private static final int CATCH_UP_PAGE = 500;

    private final MessageStore store;
    private final MessageStore.StoredListener listener;

    StoredFeed(MessageStore store, MessageStore.StoredListener listener) {
        this.store = store;
        this.listener = listener;
    }

    /** One publication starting with {@link #PREFIX}, as the subscription received it. */
    void published(String payload) {
        listener.stored(RedisCodec.decodePublished(payload.substring(1)));
    }

    /**
     * After the subscription was taken up again: announces every entry of each user after {@code fromSeq(user)}.
     *
     * @param users   the users held by this node
     * @param fromSeq per user, the seq every connection of theirs already has
     */
    void catchUp(Collection<String> users, ToLongFunction<String> fromSeq) {
        for (String user : users) {
            long from = fromSeq.applyAsLong(user);
            try {
                while (true) {
                    List<Message> page = store.since(user, from, CATCH_UP_PAGE).messages();
                    page.forEach(listener::stored);
                    if (page.size() < CATCH_UP_PAGE) {
                        break;
                    }
                    from = page.getLast().seq();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=catch-up-failed user=" + user + " error=" + e.getMessage());
            }
        }
    }
}
