package com.matchbook.realtime.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import jakarta.json.JsonValue;

/**
 * The embedded store built for appends ({@code matchbook.store=journal}): the streams live in a {@link MemoryStore},
 * and every change to them is first written to an append-only journal ({@link JournalFile}) and synced, one sync per
 * batch of whatever is queued (under load, a small batch no sooner than {@link #SHORT_SYNC_GAP} after the previous
 * sync, or {@link #MIN_SYNC_GAP} at a busy rate). Only then is the change applied to the streams, announced and
 * answered, so a read never shows, and no client is ever told about, anything a crash could take back. At start the
 * newest snapshot and the journals since are replayed into an empty memory store. Once the current journal is as
 * large as the last snapshot (at least {@link #MIN_COMPACT_BYTES}), the writer starts the next generation: it waits
 * for the applier to catch up (milliseconds), begins a {@link MemoryStore.Snapshot} of the state at that point and
 * switches to a new journal; the snapshot is written by its own thread while changes go on, each user's part taken
 * before its next change.
 *
 * <p>Why: the SQLite store pays for three B-trees per message and a scattered page per stream per commit
 * (docs/performance.md, "Other engines, measured side by side"); a journal writes each message once, sequentially.
 * The price is memory: the retained history of every user is held in the process (off the heap, as the memory store
 * holds it), so this store suits deployments whose retained history fits in memory; the SQLite store ({@code disk})
 * keeps it on disk.
 *
 * <p>Threads: a platform thread writes and syncs (it blocks in the file system); a second platform thread applies the
 * synced batches in journal order, which is what makes a replay reach the same state: every change of one user's
 * streams is applied in the order it was written. The applier is a platform thread so that its turn does not wait for
 * a carrier of the virtual threads, which every connection shares (bench/results/platform-applier-ab-2026-12-04.md).
 * Read-only calls go to the memory store directly. {@link #confirm} is applied at once and written behind (a cursor
 * lost in a crash only replays a little more), like the SQLite store's.
 *
 * <p>Errors: when a write or sync fails, nothing of that batch is applied or acknowledged and the store stops taking
 * writes ({@link #healthy()} false, writes fail with {@link StoreUnavailableException}) until it is restarted and the
 * journal reread: after a failed sync what the file holds is unknown, so no later batch is written over it.
 */
public final class JournalStore implements MessageStore {
    private static final System.Logger LOG = System.getLogger(JournalStore.class.getName());
    /**
     * A journal smaller than this is not replaced by a snapshot (starting the next generation is log compaction):
     * replaying 64 MiB takes well under a second.
     */
    static final long MIN_COMPACT_BYTES = 64L << 20;
    /**
     * A deleted message's content is still in the journal's records of its send (and edits) until a snapshot replaces
     * them; one is taken this long after a delete (docs/protocol.md "Edit and delete (1.1)": the stored content is
     * gone), so at most one per interval however many deletes come.
     */
    static final Duration DELETE_SNAPSHOT_DELAY = Duration.ofMinutes(1);
    /**
     * The snapshot thread's nice value ({@link BackgroundPriority}). A snapshot of a busy node is seconds of CPU (140
     * MB took 1.8-3.5 s on one core in the full benchmark's slow scenario), and at the default priority the kernel
     * gives it an equal share of the core the message path needs: sends queued behind it, and that scenario's p99 went
     * from 65-118 ms to 455-467 ms in the runs whose snapshot took longest. At nice 10 (CFS weight 110 against 1,024)
     * it takes what the message path leaves. Not 19 like the archive writer: the snapshot must still end on a saturated
     * core, since the entries dropped meanwhile keep their memory until it does. Measured alone (three pairs of that
     * scenario, alternating) it was within the noise, p99 ratio 3.93 (1.02-4.37) against 4.15 (3.42-109.68), because
     * the collector took more of the core than the snapshot there (docs/performance.md, "The soft maximum follows the
     * live heap"). The price: the snapshot itself took 4.4-9.6 s instead of 2.4-3.9 s there, and the entries dropped
     * meanwhile kept their memory that much longer.
     */
    static final int SNAPSHOT_NICE = 10;
    private static final int MAX_BATCH = 4096;
    /**
     * Under load and at a busy rate ({@link #BUSY_CHANGES_PER_SECOND}), the writer starts no sync of a small batch
     * sooner than this after the previous sync began, and takes what arrives meanwhile into the same sync. "Under
     * load": a change arrived while the previous sync ran, or that sync carried more than one; so a sender that waits
     * for each answer before its next change is never held (its next change cannot arrive before the answer, which
     * follows the sync).
     *
     * <p>Why: on a disk that syncs in 0.2 ms the writer otherwise syncs almost every message on its own, and each sync
     * costs 60-75 µs of kernel CPU (docs/performance.md, "The sync loop's share of the core"). Capping syncs at about
     * 1,000 a second saved 4-9 points of the node's one core at 15,000-25,000 msg/s against syncing back to back, where
     * the core is scarce (bench/results/sync-gap-two-levels-ab-2026-12-06.md, section 1's table of steps); a send waits
     * at most this much longer, plus the timer's slack. After a quiet spell the previous sync is long past, so nothing waits.
     */
    static final Duration MIN_SYNC_GAP = Duration.ofMillis(1);
    /**
     * The gap between syncs under load below {@link #BUSY_CHANGES_PER_SECOND}: short enough that on a disk syncing in
     * about 0.2 ms the writer hardly waits (the syncs come back to back), long enough to cap syncs at 4,000 a second
     * on a faster disk, whose syncs would otherwise cost up to a core.
     *
     * <p>Why not {@link #MIN_SYNC_GAP} at every rate: at 5,000 msg/s the 1 ms gap held each message about half a
     * millisecond for a saving nobody needed (the node took a third of its core there either way), and in six
     * alternating pairs of the benchmark's quick p2p the p99 there was lower without it in every pair (medians 3.02
     * against 3.95 ms) and the p50 half; with this short gap instead, in six more pairs, 3.52 against 3.94 ms and a p50
     * of 0.65 against 1.08 (docs/performance.md, "The sync gap by rate").
     */
    static final Duration SHORT_SYNC_GAP = Duration.ofNanos(250_000);
    /**
     * The change rate (changes per second, over {@link #RATE_WINDOW}) from which the writer waits out
     * {@link #MIN_SYNC_GAP} instead of {@link #SHORT_SYNC_GAP}: below it the short gap costs about 2 points of the
     * node's core at 5,000 msg/s (4.5 at 10,000, where the rate sits at the threshold), above it 4-9 points.
     */
    static final long BUSY_CHANGES_PER_SECOND = 10_000;
    /** How long the writer counts changes before judging the rate again ({@link #BUSY_CHANGES_PER_SECOND}). */
    static final Duration RATE_WINDOW = Duration.ofMillis(100);
    /** A batch this large when the writer takes it is synced at once: one sync is already shared by enough changes. */
    private static final int SMALL_BATCH = 32;
    private static final long SNAPSHOT_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final Op STOP = new Op(null, null, null);
    /** Wakes the writer without a change: a snapshot has become due (see {@link #DELETE_SNAPSHOT_DELAY}). */
    private static final Op WAKE = new Op(new byte[0], null, null);

    private final MemoryStore memory;
    private final JournalFile journal;
    private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<List<Op>> synced = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Thread applier;
    private final long minCompactBytes;
    private volatile StoredListener live;
    private final StoredListener replayed;
    private final Runnable beforeSnapshot;
    private volatile boolean healthy = true;
    private volatile boolean closed;
    /** The current journal is rotated and a snapshot taken once it reaches this size: that of the last snapshot. */
    private volatile long compactAt;
    private volatile boolean snapshotting;
    /** Writes the snapshots: one platform thread at {@link #SNAPSHOT_NICE}, made at the first snapshot. */
    private final ExecutorService snapshots;
    /** Whether the snapshot thread runs at {@link #SNAPSHOT_NICE} (false before the first snapshot, and off Linux). */
    private volatile boolean snapshotsLowered;
    private final long deleteSnapshotDelayNanos;
    /** {@link #MIN_SYNC_GAP}, or what a test set ({@link #syncGaps}); 0: sync at once. */
    private volatile long minSyncGapNanos = MIN_SYNC_GAP.toNanos();
    /** {@link #SHORT_SYNC_GAP}, or what a test set. */
    private volatile long shortSyncGapNanos = SHORT_SYNC_GAP.toNanos();
    /** {@link #BUSY_CHANGES_PER_SECOND}, or what a test set. */
    private volatile long busyChangesPerSecond = BUSY_CHANGES_PER_SECOND;
    /** When the writer began counting changes for the rate, and how many it has written since; the writer's only. */
    private long rateWindowStarted = System.nanoTime();
    private long rateWindowChanges;
    /** Whether the last full window's rate reached {@link #busyChangesPerSecond}; only the writer uses it. */
    private boolean busy;
    /** Times the writer waited out a gap since this store opened, for tests; written by the writer only. */
    private volatile long gathers;
    /** {@link System#nanoTime()} when the writer began its last sync; only the writer uses it. */
    private long lastSyncStarted;
    /** Syncs of the journal since start (batches written), for tests; written by the writer only. */
    private volatile long syncs;
    /** Whether the last sync carried more than one change or changes arrived while it ran; only the writer uses it. */
    private boolean underLoad;
    /** Whether the writer is waiting out the gap between syncs, for tests. */
    private volatile boolean gathering;
    /** {@link System#nanoTime()} by which a snapshot must begin because of a delete; 0 when none is due. */
    private volatile long deleteSnapshotDue;

    /**
     * Opens (or creates) the journal in {@code dataDir} and replays it.
     *
     * @param maxPerUser     entries kept per stream ({@code matchbook.history.max-per-user})
     * @param ttl            how long entries are kept ({@code matchbook.history.ttl})
     * @param idempotencyTtl how long a (sender, key) record answers repeats ({@code matchbook.idempotency-ttl})
     * @throws IllegalStateException when the journal cannot be read or holds a record this version cannot apply
     */
    public JournalStore(Path dataDir, int maxPerUser, Duration ttl, Duration idempotencyTtl,
                        StoredListener listener) {
        this(dataDir, maxPerUser, ttl, idempotencyTtl, MIN_COMPACT_BYTES, DELETE_SNAPSHOT_DELAY, listener);
    }

    /**
     * For tests: a journal rotated once it reaches {@code minCompactBytes} (and the last snapshot's size), and a
     * snapshot {@code deleteSnapshotDelay} after a delete.
     */
    JournalStore(Path dataDir, int maxPerUser, Duration ttl, Duration idempotencyTtl, long minCompactBytes,
                 Duration deleteSnapshotDelay, StoredListener listener) {
        this(dataDir, maxPerUser, ttl, idempotencyTtl, minCompactBytes, deleteSnapshotDelay, listener, null, null);
    }

    /**
     * As above, and {@code replayed} (or null) is told about every entry the replay at start applies, in journal order
     * (the {@link TieredStore} redoes edits and deletes in its archive from those); {@code beforeSnapshot} (or null)
     * runs on the snapshot's thread before each snapshot is written, and a snapshot waits for it (the tiered store's
     * archive catches up with the changes the snapshot's journal replaces; if it throws, the snapshot is not taken).
     */
    JournalStore(Path dataDir, int maxPerUser, Duration ttl, Duration idempotencyTtl, long minCompactBytes,
                 Duration deleteSnapshotDelay, StoredListener listener, StoredListener replayed,
                 Runnable beforeSnapshot) {
        this.replayed = replayed;
        this.beforeSnapshot = beforeSnapshot;
        this.minCompactBytes = minCompactBytes;
        this.deleteSnapshotDelayNanos = deleteSnapshotDelay.toNanos();
        this.memory = new MemoryStore(maxPerUser, ttl, idempotencyTtl, this::announce);
        try {
            long started = System.nanoTime();
            long[] records = new long[1];
            this.journal = JournalFile.open(dataDir, record -> {
                JournalRecord.replay(record, memory);
                records[0]++;
            });
            LOG.log(Level.INFO, "event=journal-replayed records=" + records[0] + " bytes=" + journal.size() + " ms="
                    + (System.nanoTime() - started) / 1_000_000);
            this.compactAt = Math.max(minCompactBytes, journal.snapshotBytes());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot open the journal in " + dataDir + ": " + e.getMessage(), e);
        }
        this.live = listener;
        this.snapshots = BackgroundPriority.lowered("matchbook-journal-snapshot", SNAPSHOT_NICE,
                                                    lowered -> snapshotsLowered = lowered);
        this.applier = Thread.ofPlatform().name("matchbook-journal-applier").daemon(true).start(this::applyLoop);
        this.writer = Thread.ofPlatform().name("matchbook-journal-writer").daemon(true).start(this::writeLoop);
    }

    @Override
    public CompletableFuture<Accepted> append(Draft draft, String id, Instant sentAt, long acceptedNanos,
                                              Optional<SendKey> key) {
        byte[] entry = EntryCodec.encode(new Message(id, 0, draft, sentAt, acceptedNanos));
        return submit(JournalRecord.append(entry, key),
                      () -> now(memory.append(draft, id, sentAt, acceptedNanos, key, entry)));
    }

    /** Records reach memory once their journal record is synced: a repeat is answered only for what is durable. */
    @Override
    public Optional<Accepted> repeatOf(String sender, SendKey key, Instant now) {
        return memory.repeatOf(sender, key, now);
    }

    @Override
    public Slice since(String user, long afterSeq, int limit) {
        return memory.since(user, afterSeq, limit);
    }

    @Override
    public Optional<Message> find(String user, String messageId) {
        return memory.find(user, messageId);
    }

    @Override
    public long confirmed(String user) {
        return memory.confirmed(user);
    }

    @Override
    public Optional<Long> confirm(String user, long seq) {
        Optional<Long> previous = memory.confirm(user, seq);
        if (previous.isPresent() && !closed && healthy) {
            queue.add(new Op(JournalRecord.confirm(user, memory.confirmed(user)), null, null));
        }
        return previous;
    }

    @Override
    public List<Conversation> conversations(String user, int limit) {
        return memory.conversations(user, limit);
    }

    @Override
    public Page conversation(String user, String with, long beforeSeq, int limit) {
        return memory.conversation(user, with, beforeSeq, limit);
    }

    @Override
    public Optional<Message> markRead(String user, String messageId) {
        return now(submit(JournalRecord.read(user, messageId), () -> memory.markRead(user, messageId)));
    }

    @Override
    public CompletableFuture<Message> update(
            String author, String messageId, Update.Action action, Optional<String> text, Optional<JsonValue> data,
            Instant at, Duration editWindow) {
        return submit(JournalRecord.update(author, messageId, action, text, data, at, editWindow), () -> {
            Message latest = now(memory.update(author, messageId, action, text, data, at, editWindow));
            scheduleSnapshotAfter(action);
            return latest;
        });
    }

    /**
     * {@link #update} of a message whose author's copy this store no longer holds ({@code archived}, as the
     * {@link TieredStore}'s archive keeps it): journaled with that copy, then applied as {@link MemoryStore#update}
     * with it.
     */
    CompletableFuture<Message> updateArchived(Message archived, Update.Action action, Optional<String> text,
                                              Optional<JsonValue> data, Instant at, Duration editWindow) {
        return submit(JournalRecord.updateOf(archived, action, text, data, at, editWindow), () -> {
            Message latest = now(memory.update(archived.user(), archived.id(), action, text, data, at, editWindow,
                                               archived));
            scheduleSnapshotAfter(action);
            return latest;
        });
    }

    /** After a delete is applied: a snapshot is due {@link #DELETE_SNAPSHOT_DELAY} later, unless one already is. */
    private void scheduleSnapshotAfter(Update.Action action) {
        if (action == Update.Action.DELETE && deleteSnapshotDue == 0) {
            deleteSnapshotDue = System.nanoTime() + deleteSnapshotDelayNanos | 1;   // never 0, which means none
            queue.add(WAKE);   // the writer may be waiting for changes with no deadline
        }
    }

    /** Drops the user's entries up to {@code upToSeq} from memory, durably ({@link MemoryStore#evict}). */
    CompletableFuture<Void> evict(String user, long upToSeq) {
        return submit(JournalRecord.evict(user, upToSeq), () -> {
            memory.evict(user, upToSeq);
            return null;
        });
    }

    /** Moves a read marker, durably ({@link MemoryStore#raiseRead}): for a message this store no longer holds. */
    CompletableFuture<Void> raiseRead(String user, String peer, long seq) {
        return submit(JournalRecord.readAt(user, peer, seq), () -> {
            memory.raiseRead(user, peer, seq);
            return null;
        });
    }

    /** The streams this journal keeps, for reads that need more than {@link MessageStore} offers. */
    MemoryStore memory() {
        return memory;
    }

    @Override
    public CompletableFuture<Void> block(String user, String other) {
        return submit(JournalRecord.block(user, other, true), () -> now(memory.block(user, other)));
    }

    @Override
    public CompletableFuture<Void> unblock(String user, String other) {
        return submit(JournalRecord.block(user, other, false), () -> now(memory.unblock(user, other)));
    }

    @Override
    public Set<String> blocks(String user) {
        return memory.blocks(user);
    }

    @Override
    public boolean blockedEither(String a, String b) {
        return memory.blockedEither(a, b);
    }

    @Override
    public void trim(Instant now) {
        submit(JournalRecord.trim(now), () -> {
            memory.trim(now);
            return null;
        });
    }

    @Override
    public boolean healthy() {
        return healthy && !closed;
    }

    /** The memory store's meters: what the journal's replay holds in memory. */
    @Override
    public List<StoreMeter> meters() {
        return memory.meters();
    }

    /** Writes and applies what is queued, then stops (waits up to {@link Timings#WRITER_STOP_WAIT}). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        LockSupport.unpark(writer);   // a writer waiting out the gap between syncs takes the stop now
        try {
            writer.join(Timings.WRITER_STOP_WAIT);
            applier.join(Timings.ANNOUNCER_STOP_WAIT);
            snapshots.shutdown();
            // A snapshot left half-written is only a temporary file.
            snapshots.awaitTermination(Timings.WRITER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fail(new ArrayList<>(queue), null);   // a change queued as the writer stopped is refused, not left waiting
        try {
            journal.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "event=journal-close-failed", e);
        }
    }

    /** One change: its journal record, how to apply it once synced, and who waits for the outcome. */
    private record Op(byte[] record, Callable<?> apply, CompletableFuture<Object> done) {
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> submit(byte[] record, Callable<T> apply) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("the store is closed", null));
        }
        if (!healthy) {
            return CompletableFuture.failedFuture(
                    new StoreUnavailableException("the journal could not be written; restart to reread it", null));
        }
        CompletableFuture<Object> done = new CompletableFuture<>();
        queue.add(new Op(record, apply, done));
        return (CompletableFuture<T>) done;
    }

    private void writeLoop() {
        while (true) {
            List<Op> batch = new ArrayList<>();
            try {
                long due = deleteSnapshotDue;
                Op first;
                if (due == 0 || !healthy) {
                    first = queue.take();
                } else {
                    // A snapshot is due for a delete: wake for it, or, while one is being written, check back soon.
                    long wait = snapshotting ? SNAPSHOT_CHECK_NANOS : Math.max(0, due - System.nanoTime());
                    first = queue.poll(wait, TimeUnit.NANOSECONDS);
                }
                if (first != null) {
                    batch.add(first);
                }
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            gatherUntilGap(batch);
            batch.removeIf(op -> op == WAKE);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                if (healthy) {
                    write(batch);
                } else {
                    fail(batch, null);
                }
            }
            if (stop) {
                fail(new ArrayList<>(queue), null);
                journal.cutRoom();   // here, not in close(): only this thread appends
                synced.add(List.of(STOP));
                return;
            }
            long due = deleteSnapshotDue;
            if (healthy && !snapshotting
                    && (journal.size() >= compactAt || due != 0 && System.nanoTime() - due >= 0)) {
                compact();
            }
        }
    }

    /**
     * Under load ({@link #underLoad}), waits, for a small batch that holds a change, until the gap (at a busy rate
     * {@link #minSyncGapNanos}, else {@link #shortSyncGapNanos}) after the previous sync began, then adds what arrived
     * meanwhile; a stop ({@link #close}) ends the wait at once. The first batch has no previous sync to wait for.
     */
    private void gatherUntilGap(List<Op> batch) {
        long gap = busy ? minSyncGapNanos : shortSyncGapNanos;
        if (gap <= 0 || syncs == 0 || !underLoad || !healthy || batch.size() >= SMALL_BATCH || batch.contains(STOP)
                || batch.stream().allMatch(op -> op == WAKE)) {
            return;
        }
        long end = lastSyncStarted + gap;
        if (end - System.nanoTime() <= 0) {
            return;
        }
        gathers++;   // only this thread writes it; before gathering, so a test that sees the wait sees the count
        gathering = true;
        try {
            // A park may return early (spuriously, or on a permit left by an earlier unpark), so wait out the rest.
            for (long wait = end - System.nanoTime(); wait > 0 && !closed && !Thread.currentThread().isInterrupted();
                 wait = end - System.nanoTime()) {
                LockSupport.parkNanos(this, wait);
            }
        } finally {
            gathering = false;
        }
        queue.drainTo(batch, MAX_BATCH - batch.size());
    }

    /** Test hook: the gap between syncs under load at every rate; zero syncs every batch at once. */
    void minSyncGap(Duration gap) {
        syncGaps(gap, gap, BUSY_CHANGES_PER_SECOND);
    }

    /**
     * Test hook: {@code shortGap} under load below {@code busyChangesPerSecond} ({@link #SHORT_SYNC_GAP}),
     * {@code longGap} from it on ({@link #MIN_SYNC_GAP}).
     */
    void syncGaps(Duration shortGap, Duration longGap, long busyChangesPerSecond) {
        this.busyChangesPerSecond = busyChangesPerSecond;
        shortSyncGapNanos = shortGap.toNanos();
        minSyncGapNanos = longGap.toNanos();
    }

    /** Times the writer waited out a gap between syncs since this store opened. */
    long gathers() {
        return gathers;
    }

    /** Batches written and synced since this store opened. */
    long syncs() {
        return syncs;
    }

    /** Whether the writer is now waiting out the gap between syncs, holding a batch. */
    boolean gathering() {
        return gathering;
    }

    private void write(List<Op> batch) {
        List<byte[]> records = new ArrayList<>(batch.size());
        for (Op op : batch) {
            records.add(op.record);
        }
        try {
            lastSyncStarted = System.nanoTime();   // here, not per batch: a batch of wake-ups alone syncs nothing
            journal.append(records);
            underLoad = records.size() > 1 || !queue.isEmpty();   // before the answers: no sender has one yet
            syncs++;   // only this thread writes it
            countChanges(records.size(), System.nanoTime());
        } catch (IOException e) {
            healthy = false;
            LOG.log(Level.ERROR, "event=journal-write-failed changes=" + batch.size(), e);
            fail(batch, e);
            return;
        }
        synced.add(batch);
    }

    /**
     * Judges the change rate once per {@link #RATE_WINDOW}: {@link #busy} from the changes written since the window
     * began. A window that spans a quiet spell is long, so its rate is low and the first changes after it are not
     * held for long.
     */
    private void countChanges(int changes, long now) {
        rateWindowChanges += changes;
        long elapsed = now - rateWindowStarted;
        if (elapsed >= RATE_WINDOW.toNanos()) {
            // In doubles: in longs the product overflows after about 10 days idle at 10,000 a second.
            busy = rateWindowChanges * 1e9 >= (double) busyChangesPerSecond * elapsed;
            rateWindowStarted = now;
            rateWindowChanges = 0;
        }
    }

    /**
     * Starts the next generation: waits until every synced batch is applied (so the memory store holds exactly what
     * the journal holds, for the few milliseconds this takes), begins a snapshot of that state, switches the journal
     * to the next generation, and leaves the snapshot to its own thread while changes go on.
     */
    private void compact() {
        long started = System.nanoTime();
        CompletableFuture<Object> applied = new CompletableFuture<>();
        synced.add(List.of(new Op(null, () -> null, applied)));
        applied.join();
        long idle = System.nanoTime();
        long generation;
        try {
            generation = journal.rotate();
        } catch (IOException e) {
            compactAt = journal.size() + Math.max(minCompactBytes, compactAt);   // try again after as much again
            if (deleteSnapshotDue != 0) {
                deleteSnapshotDue = System.nanoTime() + deleteSnapshotDelayNanos;
            }
            LOG.log(Level.WARNING, "event=journal-rotation-failed", e);
            return;
        }
        deleteSnapshotDue = 0;   // every delete applied so far is in this snapshot; the applier is idle until it begins
        long rotated = System.nanoTime();
        MemoryStore.Snapshot snapshot = memory.beginSnapshot();
        snapshotting = true;
        // The writer waits through all of this, so every send meanwhile waits as long: worth a line per generation.
        LOG.log(Level.INFO, String.format(java.util.Locale.ROOT,
                "event=journal-rotated generation=%d applier-wait-ms=%.1f rotate-ms=%.1f parts-ms=%.1f", generation,
                (idle - started) / 1e6, (rotated - idle) / 1e6, (System.nanoTime() - rotated) / 1e6));
        try {
            snapshots.execute(() -> writeSnapshot(generation, snapshot));
        } catch (RejectedExecutionException e) {
            // Closing: no snapshot now; the older generations are kept and replay whole with this one's journal.
            memory.endSnapshot(snapshot);
            snapshotting = false;
        }
    }

    /** On the snapshot thread: writes {@code snapshot} as generation {@code generation}'s, then ends it. */
    private void writeSnapshot(long generation, MemoryStore.Snapshot snapshot) {
        long started = System.nanoTime();
        try {
            if (beforeSnapshot != null) {
                beforeSnapshot.run();
            }
            long bytes = journal.writeSnapshot(generation, records ->
                    memory.finishSnapshot(snapshot, JournalRecord.snapshot(records)));
            compactAt = Math.max(minCompactBytes, bytes);
            LOG.log(Level.INFO, "event=journal-snapshot generation=" + generation + " bytes=" + bytes + " ms="
                    + (System.nanoTime() - started) / 1_000_000 + " nice="
                    + (snapshotsLowered ? SNAPSHOT_NICE : "unchanged"));
        } catch (IOException | RuntimeException e) {
            // The older generations are kept and replay whole with this one's journal: try again later.
            LOG.log(Level.WARNING, "event=journal-snapshot-failed generation=" + generation, e);
        } finally {
            memory.endSnapshot(snapshot);
            snapshotting = false;
        }
    }

    private void applyLoop() {
        while (true) {
            List<Op> batch;
            try {
                batch = synced.take();
            } catch (InterruptedException e) {
                return;
            }
            for (Op op : batch) {
                if (op == STOP) {
                    return;
                }
                if (op.apply != null) {
                    apply(op);
                }
            }
        }
    }

    private static void apply(Op op) {
        try {
            op.done.complete(op.apply.call());
        } catch (StoreRefusal refusal) {
            op.done.completeExceptionally(refusal);
        } catch (Exception e) {
            LOG.log(Level.ERROR, "event=journal-apply-failed", e);
            op.done.completeExceptionally(new StoreUnavailableException("the change could not be applied", e));
        }
    }

    private void fail(List<Op> ops, IOException cause) {
        StoreUnavailableException error = new StoreUnavailableException(
                closed && cause == null ? "the store is closed" : "the message could not be stored", cause);
        for (Op op : ops) {
            if (op.done != null) {
                op.done.completeExceptionally(error);
            }
        }
    }

    /** Tells the listener about an applied entry; a listener that throws costs only that live delivery. */
    private void announce(Message entry) {
        StoredListener listener = live;
        if (listener == null) {
            if (replayed != null) {
                replayed.stored(entry);   // replaying the journal at start: no client to tell
            }
            return;
        }
        try {
            listener.stored(entry);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=announce-failed user=" + entry.user() + " seq=" + entry.seq(), e);
        }
    }

    /** The outcome of {@code done}, waited for; a failure is thrown as its cause (a refusal, an unavailable store). */
    private static <T> T now(CompletableFuture<T> done) {
        try {
            return done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
