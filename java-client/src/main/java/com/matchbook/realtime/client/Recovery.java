package com.matchbook.realtime.client;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;

/**
 * Exactly-once, in-order delivery on top of at-least-once frames (docs/protocol.md, "Replay"): remembers the highest
 * contiguous seq, drops duplicates, and on a gap or an incomplete replay fetches the missing range over HTTP while
 * holding back what arrives meanwhile. Confirms ({@code received}) only what the listeners have been handed and have
 * returned from. Since 1.1 the stream holds {@link Update}s beside messages, each with its own seq: they are ordered,
 * deduplicated and confirmed the same way. Runs on the loop.
 */
final class Recovery {
    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());
    private static final int PAGE_SIZE = 100;
    private static final long CONFIRM_DELAY_MS = 200;
    private static final long[] RESYNC_RETRIES_MS = {1_000, 2_000, 4_000};

    /** What recovery needs from the client; called on the loop. */
    interface Hooks {
        /** Hands the entry to the listeners; runs {@code handled} on the loop once they have returned. */
        void deliver(StreamEntry entry, Runnable handled);

        /** Fetches a page of history; the future may complete on any thread. */
        CompletableFuture<History.Page> fetch(long since, int limit);

        /** Messages after {@code afterSeq} may be missing for good. */
        void lost(long afterSeq, Throwable error);
    }

    private final Hooks hooks;
    private final LongPredicate confirm;
    private final Loop loop;
    private final Loop.Timer confirmTimer;
    private final Loop.Timer resyncTimer;
    private final List<StreamEntry> held = new ArrayList<>();
    /** Highest contiguous seq handed on; -1 until known (a fresh device lets the server choose where to start). */
    private volatile long cursor;
    private long handled;
    private long confirmed;
    private boolean resyncing;
    private int resyncFailures;

    /**
     * @param confirm     writes {@code {"type":"received","seq":N}}; false when not connected
     * @param resumeAfter the cursor a previous run of the app kept, or -1
     */
    Recovery(Hooks hooks, LongPredicate confirm, Loop loop, long resumeAfter) {
        this.hooks = hooks;
        this.confirm = confirm;
        this.loop = loop;
        this.confirmTimer = loop.timer();
        this.resyncTimer = loop.timer();
        this.cursor = resumeAfter;
        this.handled = Math.max(0, resumeAfter);
        this.confirmed = handled;
    }

    /** The {@code since} of the next attempt; readable from any thread. */
    OptionalLong since() {
        long c = cursor;
        return c < 0 ? OptionalLong.empty() : OptionalLong.of(c);
    }

    void welcome(Welcome w) {
        if (cursor >= 0 && w.lastSeq() < cursor) {
            // The server numbers from 1 again (its history was wiped) and replays all it holds from replay.from:
            // restart just before that, or its messages would all look like duplicates.
            long restart = w.replayFrom() >= 1 ? w.replayFrom() - 1 : 0;
            LOG.log(Level.WARNING, "event=cursor-reset from=" + cursor + " to=" + restart);
            cursor = restart;
            handled = Math.min(handled, cursor);
        }
        if (cursor < 0) {
            cursor = w.replayFrom() >= 1 ? w.replayFrom() - 1 : w.lastSeq();
        }
        // A new connection: what the last one may not have written is confirmed again.
        confirmed = Math.min(confirmed, handled - 1);
        if (!w.replayComplete()) {
            LOG.log(Level.INFO, "event=gap replay-incomplete after=" + cursor);
            startResync();
        }
        scheduleConfirm();
    }

    /** A message or an update, live or replayed. */
    void entry(StreamEntry m) {
        if (StreamEntry.seqOf(m) < 0) {
            hooks.deliver(m, () -> { }); // broadcasts are never numbered, stored or confirmed
        } else if (resyncing) {
            held.add(m);
        } else {
            accept(m, false);
        }
    }

    private void accept(StreamEntry m, boolean tolerateJump) {
        long seq = StreamEntry.seqOf(m);
        if (cursor >= 0 && seq <= cursor) {
            LOG.log(Level.DEBUG, () -> "event=duplicate seq=" + seq + " last=" + cursor);
            return;
        }
        if (cursor >= 0 && seq > cursor + 1) {
            if (!tolerateJump) {
                LOG.log(Level.INFO, "event=gap expected=" + (cursor + 1) + " got=" + seq);
                held.add(m);
                startResync();
                return;
            }
            LOG.log(Level.WARNING, "event=lost seqs=" + (cursor + 1) + ".." + (seq - 1) + " (no longer retained)");
        }
        cursor = seq;
        hooks.deliver(m, () -> handled(seq));
    }

    private void handled(long seq) {
        handled = Math.max(handled, seq);
        scheduleConfirm();
    }

    /** At most one {@code received} per delay, even under a steady stream (a restarting debounce would never fire). */
    private void scheduleConfirm() {
        if (confirmTimer.pending()) {
            return;
        }
        confirmTimer.start(CONFIRM_DELAY_MS, () -> {
            if (handled > confirmed && handled > 0 && confirm.test(handled)) {
                confirmed = handled;
            }
        });
    }

    private void startResync() {
        if (resyncing) {
            return;
        }
        resyncing = true;
        resyncFailures = 0;
        fetchNext();
    }

    private void fetchNext() {
        long after = Math.max(0, cursor);
        LOG.log(Level.DEBUG, () -> "event=resync after=" + after);
        hooks.fetch(after, PAGE_SIZE).whenComplete((page, error) -> loop.execute(() -> page(after, page, error)));
    }

    private void page(long after, History.Page page, Throwable error) {
        if (!resyncing) {
            return;
        }
        if (error != null) {
            if (resyncFailures < RESYNC_RETRIES_MS.length) {
                long delayMs = RESYNC_RETRIES_MS[resyncFailures++];
                LOG.log(Level.INFO, "event=resync-failed retry-in-ms=" + delayMs + " error=\"" + error + "\"");
                resyncTimer.start(delayMs, this::fetchNext);
                return;
            }
            // Holding messages back for ever would freeze the conversation: hand on what we have and say so.
            hooks.lost(after, error);
            finishResync();
            return;
        }
        resyncFailures = 0;
        for (StreamEntry m : page.entries()) {
            long seq = StreamEntry.seqOf(m);
            if (seq > Math.max(0, cursor)) {
                if (cursor >= 0 && seq > cursor + 1) {
                    // History starts where it starts: a first seq above since + 1 means the rest expired.
                    LOG.log(Level.WARNING, "event=lost seqs=" + (cursor + 1) + ".." + (seq - 1));
                }
                cursor = seq;
                hooks.deliver(m, () -> handled(seq));
            }
        }
        if (cursor > after && cursor < page.lastSeq()) {
            fetchNext();
        } else {
            finishResync();
        }
    }

    private void finishResync() {
        resyncing = false;
        List<StreamEntry> waiting = new ArrayList<>(held);
        held.clear();
        // Whatever is still beyond the cursor after a full resync is not retained anywhere: accept the jump.
        for (StreamEntry m : waiting) {
            accept(m, true);
        }
        scheduleConfirm();
    }

    void dispose() {
        resyncing = false;
        held.clear();
        confirmTimer.clear();
        resyncTimer.clear();
    }
}
