package com.matchbook.realtime.store;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import jakarta.json.JsonValue;

/**
 * The journal for recent history, SQLite for the rest ({@code matchbook.store=tiered}): every change goes through a
 * {@link JournalStore} (appended, synced, applied in memory, announced), so a send costs what it costs there; entries
 * older than the hot window ({@code matchbook.history.hot-window}), or fewer of them when the entries in memory pass
 * {@code matchbook.history.hot-bytes}, are then moved by a background thread, the mover, to a {@link SqliteArchive} in
 * the same data directory. A move is one archive transaction (synced), then one journal record that drops those
 * entries from memory ({@link JournalStore#evict}); per-user state (seqs, read markers, cursors, idempotency records,
 * blocks) never leaves the journal.
 *
 * <p>Why: the journal store answers fastest (docs/performance.md, "The journal store") but holds every retained
 * message in memory; SQLite holds a year of history on disk but pays three B-tree updates per stream on every send
 * (README "Storage"). Moving entries in bulk, user by user, writes the archive's trees in key order, off the path of
 * any answer.
 *
 * <p>Reads: a user's stream is the archive's part below the first seq memory holds, then memory's. A move raises that
 * seq, never lowers it, so a read notes it before and after and reads again if it moved meanwhile. Entries past the
 * count limit ({@code matchbook.history.max-per-user}) are never read from the archive, though its rows may lag.
 *
 * <p>Edits and deletes of a moved message: the journal records the call with the archived copy
 * ({@link JournalStore#updateArchived}), the update entries go to both streams as usual, and the mover then rewrites
 * the archive's rows (a delete empties them), after any move already under way, so a move never writes back a version
 * older than the one in memory. A crash before that rewrite is repaired at start: every update entry the journal
 * replays about a message that memory no longer holds (an archived one) is rewritten in the archive again before the
 * store opens.
 *
 * <p>Start: the archive is not opened with the store (loading SQLite is 0.3-0.4 s of a core, a tenth of a node's
 * start on one core) unless the replay above needs it, but by the first read that reaches below memory, the first
 * move, or, when the file holds history (so that what expired is dropped), the mover's first pass,
 * {@link #MOVE_INTERVAL} after start. A fresh data directory's archive thus stays closed until a day's history (the
 * hot window) or memory's budget makes the mover write to it. Until then nothing waits for it: every answer that
 * memory holds is given.
 *
 * <p>Errors: as {@link JournalStore}; a failed move is logged ({@code event=archive-move-failed}) and tried again at
 * the next pass, a failed archive read or rewrite throws (or fails the future with) {@link StoreUnavailableException}.
 */
public final class TieredStore implements MessageStore {
    private static final System.Logger LOG = System.getLogger(TieredStore.class.getName());
    /** Entries per archive transaction when moving, at most. */
    private static final int MOVE_BATCH = 5_000;
    /**
     * Entries per archive transaction in a paced pass (memory under its budget): small enough that each one holds the
     * core for tens of milliseconds (a move costs 22-27 µs of CPU per entry, docs/performance.md, "The tiered store").
     */
    private static final int PACED_BATCH = 1_000;
    /**
     * Where the OS cannot lower the archive writer's priority ({@link BackgroundPriority}), a paced pass rests this
     * many times as long as each transaction took, so it takes about a third of a core it shares with the journal's
     * writer, its applier and the sockets (more when a transaction takes over 100 ms, since a rest lasts at most
     * {@link #MAX_REST_NANOS}; gathering a batch is not counted). Unpaced, a pass moving 10 s of traffic at 5,000
     * msg/s held the one core for seconds, and the p99 of live messages at 5,000 msg/s went to 256 ms (median of three,
     * bench/results/tiered-moving-2026-12-02-unpaced.md); at a third of a core the mover still keeps up with about
     * 6,000 msg/s, and past that memory reaches hot-bytes and unpaced moves take over. With the writer at nice 19 it
     * takes what the message path leaves and needs no rest.
     */
    private static final int REST_PER_BUSY = 2;
    /** The longest rest between two transactions of a paced pass. */
    private static final long MAX_REST_NANOS = 200_000_000L;
    /** Bytes of text and attachments per archive transaction when moving, about (attachments go up to a MiB each). */
    private static final long MOVE_BATCH_BYTES = 32L << 20;
    /** Between two passes of the mover when memory is under its budget. */
    private static final Duration MOVE_INTERVAL = Duration.ofSeconds(10);
    /** The hot window never shrinks below this when memory is over its budget: the newest second stays in memory. */
    private static final Duration MIN_WINDOW = Duration.ofSeconds(1);

    private final JournalStore hot;
    private final MemoryStore memory;
    private final SqliteArchive archive;
    private final int maxPerUser;
    private final Duration ttl;
    private final Duration hotWindow;
    private final long hotBytes;
    /** When moves happen: on the mover's schedule, or (tests) after every write or only when a test asks. */
    private final Moves moves;
    /**
     * The mover: one thread that decides every archive write, so they happen in the order they were asked for. It
     * reads memory (under its per-user locks) and drops moved entries through the journal at normal priority.
     */
    private final ScheduledExecutorService mover;
    /**
     * Where the mover hands the archive transactions nobody is waiting for (a paced move's, a trim's) and waits for
     * them: a thread at the lowest CPU priority ({@link BackgroundPriority}), so SQLite's work takes the idle part of
     * the cores instead of half of a busy one. It holds no lock the message path takes (memory is read before, on the
     * mover, and the drops go through the journal), so a long wait for the CPU there stalls only the mover. Urgent
     * moves (memory over its budget, a snapshot waiting) and the rewrites of edited messages write on the mover
     * itself; an urgent move still waits for a transaction already handed over, which on a core the message path
     * keeps full gets about 1.5% of it (a 25 ms transaction: about 2 s; more when the node runs at a negative nice).
     */
    private final ExecutorService background;
    /** Whether {@link #background}'s thread got the low priority; if not, paced passes rest instead. */
    private volatile boolean backgroundLowered;
    /** For tests: runs inside each read, after it noted memory's first seq (a move there is the race it guards). */
    volatile Runnable betweenBoundsAndRead;
    /** For tests: runs inside a replay that reads the archive, after its first seq and before its entries. */
    volatile Runnable betweenArchiveReads;
    /** For tests: runs before each archive transaction of a move; throwing there is a failing archive. */
    volatile Runnable beforeArchiveWrite;
    /** Whether the mover's last pass failed: with memory over {@link #hotBytes} too, the node is not ready. */
    private volatile boolean moverFailing;
    /** Entries moved to the archive since start, and mover passes that failed (for {@code /metrics}). */
    private final AtomicLong moved = new AtomicLong();
    private final AtomicLong failedPasses = new AtomicLong();
    /** Set by {@link #close}: a pass under way stops after its current transaction (the rest moves next start). */
    private volatile boolean closing;
    /** Counted down by {@link #close}, so a paced pass's rest ends at once. */
    private final CountDownLatch closed = new CountDownLatch(1);
    /** The window the mover uses now: {@link #hotWindow}, halved while memory is over {@link #hotBytes}. */
    private volatile Duration window;
    /** When a trim skipped the archive because it was not open yet, that trim's time; mover thread only. */
    private Instant trimDue;

    /**
     * Opens (or creates) the journal in {@code dataDir}, takes over a SQLite store's data directory on the first start
     * there, replays the journal and redoes in the archive its edits and deletes of archived messages; the archive
     * opens only for those, otherwise later (class comment, "Start").
     *
     * @param dataDir        where the journal, its snapshots and {@value SqliteArchive#FILE} live
     *                       ({@code matchbook.data-dir})
     * @param maxPerUser     entries kept per stream, both tiers together ({@code matchbook.history.max-per-user})
     * @param ttl            how long entries are kept, both tiers ({@code matchbook.history.ttl})
     * @param idempotencyTtl how long a (sender, key) record answers repeats ({@code matchbook.idempotency-ttl})
     * @param hotWindow      how old an entry gets before it moves to the archive, zero or more
     *                       ({@code matchbook.history.hot-window}; zero moves every entry at each pass)
     * @param hotBytes       bytes of entries in memory (off the heap) above which younger entries move too, positive
     *                       ({@code matchbook.history.hot-bytes})
     * @param listener       told about every entry once it is durable ({@link MessageStore})
     * @throws IllegalStateException     when the journal cannot be opened, {@value SqliteArchive#FILE} created, or a
     *                                   SQLite store's file to take over read
     * @throws StoreUnavailableException when the archive cannot be brought up to date with the journal
     */
    public TieredStore(Path dataDir, int maxPerUser, Duration ttl, Duration idempotencyTtl, Duration hotWindow,
                       long hotBytes, StoredListener listener) {
        this(dataDir, maxPerUser, ttl, idempotencyTtl, hotWindow, hotBytes, Moves.SCHEDULED, listener);
    }

    /** When the mover runs: {@link #SCHEDULED} in production; the others for tests. */
    enum Moves {
        /** A pass every {@link #MOVE_INTERVAL}. */
        SCHEDULED,
        /** Every write is answered only once all entries are archived (every read then crosses tiers). */
        AFTER_WRITES,
        /** Only when a test calls {@link #passNow} or {@link #moveNow}. */
        ON_DEMAND
    }

    /** For tests: moves as {@code moves} says. */
    TieredStore(Path dataDir, int maxPerUser, Duration ttl, Duration idempotencyTtl, Duration hotWindow,
                long hotBytes, Moves moves, StoredListener listener) {
        this.maxPerUser = maxPerUser;
        this.ttl = ttl;
        this.hotWindow = hotWindow;
        this.window = hotWindow;
        this.hotBytes = hotBytes;
        this.moves = moves;
        this.archive = new SqliteArchive(dataDir, this::archiveOpened);
        this.mover = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("matchbook-archive-mover").daemon(true).factory());
        // The mover waits for this worker (and a snapshot for the mover): it runs its tasks, lowered or not.
        this.background = BackgroundPriority.lowered("matchbook-archive-writer", BackgroundPriority.NICE, lowered -> {
            backgroundLowered = lowered;
            LOG.log(Level.INFO, "event=archive-writer-priority nice=" + (lowered
                    ? BackgroundPriority.NICE : "unchanged (paced moves rest instead)"));
        });
        List<Message> replayedUpdates = new ArrayList<>();
        JournalStore opened = null;
        try {
            importDiskStore(dataDir);
            archive.markDirectory();
            opened = new JournalStore(dataDir, maxPerUser, ttl, idempotencyTtl, JournalStore.MIN_COMPACT_BYTES,
                                      JournalStore.DELETE_SNAPSHOT_DELAY, listener, entry -> {
                                          if (entry.update().isPresent()) {
                                              replayedUpdates.add(entry);
                                          }
                                      }, this::archiveCaughtUp);
            // The archive may have missed these in a crash: its rewrites are queued, not part of the journal's sync.
            // A copy memory still holds needs none: the archive has no row of it, or one left by a crash behind a
            // move, which no read reaches and the next move replaces. Edits come within minutes of a send, far
            // inside the hot window, so most starts need no rewrite and leave SQLite closed.
            MemoryStore replayedInto = opened.memory();
            archive.revise(replayedUpdates.stream()
                                   .filter(u -> replayedInto.find(u.user(), u.id()).isEmpty()).toList());
            replayedUpdates.clear();
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            mover.shutdownNow();
            background.shutdownNow();
            archive.close();
            throw e;
        }
        this.hot = opened;
        this.memory = hot.memory();
        if (moves == Moves.SCHEDULED) {
            long every = MOVE_INTERVAL.toMillis();
            mover.scheduleWithFixedDelay(this::movePass, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A data directory the disk store wrote (its {@value SqliteArchive#FILE}, no journal yet): its messages are the
     * archive as they are, and its per-user state becomes the journal's first snapshot, so every seq, cursor, read
     * marker, idempotency record and block carries on. Written whole or not at all: a crash during the import leaves
     * no snapshot, and the next start imports again. One way: the disk store does not read what the journal adds.
     */
    private void importDiskStore(Path dataDir) {
        try {
            if (!JournalFile.isNew(dataDir) || !archive.holdsData()) {
                return;
            }
            long started = System.nanoTime();
            boolean[] any = new boolean[1];
            long bytes = JournalFile.writeSnapshot(dataDir, 0, out ->
                    any[0] = archive.exportState(JournalRecord.snapshot(out), Instant.now()));
            if (any[0]) {
                LOG.log(Level.INFO, "event=archive-imported bytes=" + bytes + " ms="
                        + (System.nanoTime() - started) / 1_000_000);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start the journal in " + dataDir + ": " + e.getMessage(), e);
        } catch (StoreUnavailableException e) {
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot take over " + dataDir.resolve(SqliteArchive.FILE) + ": "
                    + why.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Accepted> append(Draft draft, String id, Instant sentAt, long acceptedNanos,
                                              Optional<SendKey> key) {
        return afterWrite(hot.append(draft, id, sentAt, acceptedNanos, key));
    }

    /** Idempotency records never leave the journal (class comment). */
    @Override
    public Optional<Accepted> repeatOf(String sender, SendKey key, Instant now) {
        return hot.repeatOf(sender, key, now);
    }

    @Override
    public Slice since(String user, long afterSeq, int limit) {
        return consistent(user, hotFirst -> {
            Slice recent = hot.since(user, afterSeq, limit);
            long floor = Math.max(0, recent.lastSeq() - maxPerUser);
            long first = hotFirst > floor + 1 ? archive.first(user, floor, hotFirst) : 0;
            if (afterSeq + 1 >= hotFirst || first == 0) {
                return new Slice(recent.messages(), recent.lastSeq(), first > 0 ? first : recent.firstSeq());
            }
            Runnable hook = betweenArchiveReads;
            if (hook != null) {
                hook.run();
            }
            List<Message> out = new ArrayList<>(limit < 64 ? limit : 64);
            for (Message m : archive.since(user, Math.max(afterSeq, floor), hotFirst, limit)) {
                out.add(memory.overlay(user, m));
            }
            for (Message m : recent.messages()) {
                if (out.size() >= limit) {
                    break;
                }
                out.add(m);
            }
            // A trim between the two archive reads would leave the first seq naming entries the list no longer holds,
            // and the slice would claim a complete history it does not give: read it again (trims only raise it).
            long firstNow = archive.first(user, floor, hotFirst);
            return new Slice(out, recent.lastSeq(), firstNow > 0 ? firstNow : recent.firstSeq());
        });
    }

    @Override
    public Optional<Message> find(String user, String messageId) {
        return consistent(user, hotFirst -> hot.find(user, messageId).or(() -> archived(user, messageId, hotFirst)));
    }

    @Override
    public long confirmed(String user) {
        return hot.confirmed(user);
    }

    @Override
    public Optional<Long> confirm(String user, long seq) {
        return hot.confirm(user, seq);
    }

    @Override
    public List<Conversation> conversations(String user, int limit) {
        return consistent(user, hotFirst -> {
            // Any conversation with a message in memory is more recent than every one held only in the archive.
            List<Conversation> recent = hot.conversations(user, limit);
            long floor = Math.max(0, memory.bounds(user)[1] - maxPerUser);
            List<Conversation> out = new ArrayList<>(recent.size());
            Set<String> listed = new HashSet<>();
            for (Conversation c : recent) {
                out.add(new Conversation(c.with(), c.last(), c.unread() + archivedUnread(user, c.with(), floor,
                                                                                       hotFirst)));
                listed.add(c.with());
            }
            if (out.size() < limit && hotFirst > floor + 1) {
                for (Message last : archive.lastOfConversations(user, floor, hotFirst, limit + listed.size())) {
                    String with = SqliteSchema.peer(last);
                    if (out.size() < limit && listed.add(with)) {
                        out.add(new Conversation(with, memory.overlay(user, last),
                                                 archivedUnread(user, with, floor, hotFirst)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Page conversation(String user, String with, long beforeSeq, int limit) {
        return consistent(user, hotFirst -> {
            Page recent = hot.conversation(user, with, beforeSeq, limit);
            if (recent.more()) {
                return recent;
            }
            long floor = Math.max(0, memory.bounds(user)[1] - maxPerUser);
            long below = recent.messages().isEmpty() ? Math.min(beforeSeq, hotFirst)
                    : recent.messages().getFirst().seq();
            below = Math.min(below, hotFirst);
            int wanted = limit - recent.messages().size();
            List<Message> older = below > floor + 1 ? archive.page(user, with, floor, below, wanted + 1) : List.of();
            boolean more = older.size() > wanted;
            List<Message> out = new ArrayList<>(limit);
            for (Message m : older.subList(0, Math.min(wanted, older.size())).reversed()) {
                out.add(memory.overlay(user, m));
            }
            out.addAll(recent.messages());
            return new Page(out, more);
        });
    }

    @Override
    public Optional<Message> markRead(String user, String messageId) {
        Optional<Message> recent = hot.markRead(user, messageId);
        if (recent.isPresent()) {
            return recent;
        }
        Optional<Message> old = consistent(user, hotFirst -> archived(user, messageId, hotFirst));
        old.filter(m -> !m.from().equals(user)).ifPresent(m -> join(hot.raiseRead(user, m.from(), m.seq())));
        return old;
    }

    @Override
    public CompletableFuture<Message> update(String author, String messageId, Update.Action action,
                                             Optional<String> text, Optional<JsonValue> data, Instant at,
                                             Duration editWindow) {
        CompletableFuture<Message> applied = hot.update(author, messageId, action, text, data, at, editWindow)
                .exceptionallyComposeAsync(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (!(cause instanceof StoreRefusal r) || !r.code().equals(StoreRefusal.NOT_FOUND)) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    // The author's copy may have moved to the archive.
                    Optional<Message> old;
                    try {
                        old = consistent(author, hotFirst -> archived(author, messageId, hotFirst))
                                .filter(m -> m.from().equals(author));
                    } catch (StoreUnavailableException unavailable) {
                        return CompletableFuture.failedFuture(unavailable);
                    }
                    return old.map(m -> hot.updateArchived(m, action, text, data, at, editWindow))
                            .orElseGet(() -> CompletableFuture.failedFuture(cause));
                });
        // Then the archive's copies, on the mover's thread: after any move that read the version before this one.
        // Nobody waits for it: until it is done, reads of archived copies take the update entries held in memory
        // into account (MemoryStore.overlay), and a snapshot waits for it before replacing the journal.
        return afterWrite(applied.whenComplete((latest, failure) -> {
            if (failure == null) {
                mover.execute(() -> rewriteArchived(author, messageId));
            }
        }));
    }

    /** Rewrites the archived copies of a message as the newest update entry in memory says; mover thread only. */
    private void rewriteArchived(String author, String messageId) {
        Message newest = memory.latestUpdate(author, messageId);
        if (newest == null) {
            return;   // already moved, and the move applied it to the archive
        }
        if (memory.find(newest.from(), messageId).isPresent() && memory.find(newest.to(), messageId).isPresent()) {
            // Both copies in memory (edits come minutes after a send): no archived row to rewrite, unless a crash
            // left one behind a move, which only a later move or the age limit touches and no read reaches.
            return;
        }
        try {
            archive.revise(List.of(newest));
        } catch (StoreUnavailableException e) {
            // Reads still see the update (overlay); the move of its update entry applies it to the archive later.
            LOG.log(Level.WARNING, "event=archive-rewrite-failed id=" + messageId, e);
        }
    }

    /** Waits until the mover has done everything asked of it so far: before a snapshot replaces the journal. */
    private void archiveCaughtUp() {
        CompletableFuture.runAsync(() -> { }, mover).join();
    }

    @Override
    public CompletableFuture<Void> block(String user, String other) {
        return hot.block(user, other);
    }

    @Override
    public CompletableFuture<Void> unblock(String user, String other) {
        return hot.unblock(user, other);
    }

    @Override
    public Set<String> blocks(String user) {
        return hot.blocks(user);
    }

    @Override
    public boolean blockedEither(String a, String b) {
        return hot.blockedEither(a, b);
    }

    @Override
    public void trim(Instant now) {
        hot.trim(now);
        mover.execute(() -> {
            if (!archive.isOpen()) {
                // The first trim comes a second after start, when the node serves its crowd: opening SQLite then took
                // 0.4 s of one core from them. Whatever opens it next (a read, a move, a pass over history) trims it.
                trimDue = now;
                return;
            }
            trimArchive(now);
        });
    }

    /** Drops the archive's entries past the age limit at {@code now}; mover thread only. */
    private void trimArchive(Instant now) {
        try {
            inBackground(() -> archive.dropSentBefore(now.minus(ttl)));
        } catch (StoreUnavailableException e) {
            LOG.log(Level.WARNING, "event=archive-trim-failed", e);
        }
    }

    /**
     * Told by the archive once it has opened, on the opening thread: a trim skipped before then runs now, on the mover,
     * so history that expired while the node was down leaves the archive as soon as it can be read.
     */
    private void archiveOpened() {
        try {
            mover.execute(() -> {
                Instant due = trimDue;
                if (due != null) {
                    trimDue = null;
                    trimArchive(Instant.now().isAfter(due) ? Instant.now() : due);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // stopping: the next start trims
        }
    }

    /**
     * Whether the journal takes writes, and memory is not over its budget with the mover failing (memory would grow
     * until the direct-memory limit: better that the load goes to other nodes).
     */
    @Override
    public boolean healthy() {
        return hot.healthy() && !(moverFailing && memory.entryBytes() > hotBytes);
    }

    /**
     * The journal's memory gauge, and the mover's: {@code matchbook_archive_moved_entries_total},
     * {@code matchbook_archive_move_failures_total} (passes that failed; each is logged as
     * {@code event=archive-move-failed}) and {@code matchbook_archive_window_seconds} (the window in use: below
     * {@code matchbook.history.hot-window} while memory is over {@code hot-bytes}).
     */
    @Override
    public List<StoreMeter> meters() {
        List<StoreMeter> meters = new ArrayList<>(hot.meters());
        meters.add(StoreMeter.counter("matchbook.archive.moved.entries",
                                      "Entries moved from memory to the archive (matchbook.db)", moved::get));
        meters.add(StoreMeter.counter("matchbook.archive.move.failures",
                                      "Mover passes that failed (log event=archive-move-failed)", failedPasses::get));
        meters.add(StoreMeter.gauge("matchbook.archive.window.seconds",
                                    "Entries older than this move to the archive (hot-window, less under memory pressure)",
                                    () -> window.toSeconds()));
        return meters;
    }

    /**
     * Stops the mover (a pass under way ends after its current transaction; what it left moves at the next start),
     * then closes the journal and the archive.
     */
    @Override
    public void close() {
        closing = true;
        closed.countDown();
        mover.shutdown();
        try {
            mover.awaitTermination(Timings.WRITER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            // Only now: the mover's last hand-over (the pass's last batch, a trim) must not be refused.
            background.shutdown();
            background.awaitTermination(Timings.WRITER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        hot.close();
        archive.close();
    }

    /**
     * One pass of the mover: every user's entries older than the window go to the archive, in transactions of up to
     * {@link #MOVE_BATCH}; while memory is over its budget, the window halves and the pass runs again.
     */
    private void movePass() {
        try {
            // An archive that holds history is opened by the first pass, if no read has, so that what expired while
            // the node was down leaves it soon (trimDue). An empty one waits for the first move or read that needs it:
            // a fresh node has nothing there for a day (the hot window), and opening it 10 s after start took
            // 0.5-0.9 s of a core from the crowd it served (docs/performance.md, "The empty archive left closed").
            if (!archive.isOpen() && archive.holdsData()) {
                archive.open();
            }
            moveOlderThan(Instant.now().minus(window), memory.entryBytes() <= hotBytes);
            // While a snapshot is written, moved entries keep their memory until it ends: no reason to shrink.
            while (memory.entryBytes() > hotBytes && window.compareTo(MIN_WINDOW) > 0 && !memory.snapshotting()
                    && !closing) {
                window = max(MIN_WINDOW, window.dividedBy(2));
                LOG.log(Level.INFO, "event=archive-window-shrunk window=" + window + " bytes=" + memory.entryBytes());
                moveOlderThan(Instant.now().minus(window), false);
            }
            if (memory.entryBytes() < hotBytes / 2 && window.compareTo(hotWindow) < 0) {
                window = min(hotWindow, window.multipliedBy(2));
            }
            moverFailing = false;
        } catch (RuntimeException | Error e) {
            // Thrown out of a scheduled task, it would end the schedule: moves would stop for good.
            moverFailing = true;
            failedPasses.incrementAndGet();
            LOG.log(Level.WARNING, "event=archive-move-failed", e);
        }
    }

    /**
     * Moves every entry sent before {@code before}; mover thread only. {@code paced}: in transactions of
     * {@link #PACED_BATCH} written by {@link #background} (or, where its priority could not be lowered, by the mover,
     * resting after each: {@link #REST_PER_BUSY}), unless memory passes its budget or a snapshot waits meanwhile;
     * otherwise in transactions of {@link #MOVE_BATCH}, as fast as the mover can.
     */
    private void moveOlderThan(Instant before, boolean paced) {
        int most = paced ? PACED_BATCH : MOVE_BATCH;
        List<Message> batch = new ArrayList<>();
        Map<String, Long> upTo = new LinkedHashMap<>();
        long bytes = 0;
        for (String user : memory.users()) {
            if (closing) {
                break;
            }
            List<Message> old;
            while (!(old = memory.oldest(user, before, most - batch.size())).isEmpty()) {
                batch.addAll(old);
                upTo.put(user, old.getLast().seq());
                for (Message m : old) {
                    bytes += m.text().map(String::length).orElse(0)
                            + m.attachment().map(a -> a.bytes().length).orElse(0);
                }
                if (batch.size() < most && bytes < MOVE_BATCH_BYTES) {
                    break;
                }
                long started = System.nanoTime();
                boolean inBackground = inBackground(paced);
                move(batch, upTo, inBackground);
                bytes = 0;
                if (closing) {
                    return;
                }
                if (inBackground && !backgroundLowered) {
                    rest(Math.min(MAX_REST_NANOS, REST_PER_BUSY * (System.nanoTime() - started)));
                }
            }
        }
        move(batch, upTo, inBackground(paced));
    }

    /**
     * Whether a paced pass's next transaction goes to {@link #background}: not while a snapshot waits for the mover
     * ({@link #archiveCaughtUp}) or memory has passed its budget, when it is urgent.
     */
    private boolean inBackground(boolean paced) {
        return paced && !memory.snapshotting() && memory.entryBytes() <= hotBytes;
    }

    /**
     * Runs {@code write} on {@link #background} and waits for it; mover thread only. Its runtime exception is thrown
     * here as it was thrown there (an error comes wrapped in a {@link CompletionException}).
     */
    private void inBackground(Runnable write) {
        // Opened here if need be: a reader waiting for the open must not wait for a thread the kernel puts last.
        archive.open();
        join(CompletableFuture.runAsync(write, background));
    }

    /** Runs {@code write} on {@link #background} (waiting for it) when {@code inBackground}, else here. */
    private void write(boolean inBackground, Runnable write) {
        if (inBackground) {
            inBackground(write);
        } else {
            write.run();
        }
    }

    /** Waits {@code nanos}, or until {@link #close}. */
    private void rest(long nanos) {
        try {
            closed.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Archives {@code batch} (synced; on {@link #background} when {@code inBackground}), then drops it from memory
     * through the journal; clears both arguments.
     */
    private void move(List<Message> batch, Map<String, Long> upTo, boolean inBackground) {
        if (batch.isEmpty()) {
            return;
        }
        // An update entry leaves memory only with its change applied to the archive: as its message's newest update
        // entry says, since a later one may still be in memory (and a rewrite asked for it may not have run).
        List<Message> revisions = new ArrayList<>();
        for (Message m : batch) {
            if (m.update().isPresent()) {
                Message newest = memory.latestUpdate(m.user(), m.id());
                revisions.add(newest != null ? newest : m);
            }
        }
        write(inBackground, () -> {
            Runnable hook = beforeArchiveWrite;
            if (hook != null) {
                hook.run();
            }
            archive.store(batch, revisions);
        });
        List<CompletableFuture<Void>> dropped = new ArrayList<>(upTo.size());
        upTo.forEach((user, seq) -> dropped.add(hot.evict(user, seq)));
        CompletableFuture.allOf(dropped.toArray(CompletableFuture[]::new)).join();
        moved.addAndGet(batch.size());   // only now: a failed drop moves these again, and they count once
        for (String user : upTo.keySet()) {
            long beyond = memory.bounds(user)[1] - maxPerUser;
            if (beyond > 0) {
                write(inBackground, () -> archive.dropUpTo(user, beyond));
            }
        }
        batch.clear();
        upTo.clear();
    }

    /** For tests: moves every entry sent before {@code before} now, on the mover's thread, and waits for it. */
    void moveNow(Instant before) {
        join(CompletableFuture.runAsync(() -> moveOlderThan(before, false), mover));
    }

    /** For tests: whether the archive's file is open (class comment, "Start"). */
    boolean archiveOpen() {
        return archive.isOpen();
    }

    /** For tests: runs one mover pass now (with its window rules and failure handling), on the mover, and waits. */
    void passNow() {
        join(CompletableFuture.runAsync(this::movePass, mover));
    }

    /** With {@link Moves#AFTER_WRITES}: {@code write} completes once everything is archived. */
    private <T> CompletableFuture<T> afterWrite(CompletableFuture<T> write) {
        if (moves != Moves.AFTER_WRITES) {
            return write;
        }
        return write.thenCompose(result -> CompletableFuture.supplyAsync(() -> {
            moveOlderThan(Instant.MAX, false);
            return result;
        }, mover));
    }

    /** The archived message with this id in the user's stream, below memory's part and within the count limit. */
    private Optional<Message> archived(String user, String messageId, long hotFirst) {
        long floor = Math.max(0, memory.bounds(user)[1] - maxPerUser);
        return hotFirst > floor + 1
                ? Optional.ofNullable(archive.find(user, messageId, floor, hotFirst)).map(m -> memory.overlay(user, m))
                : Optional.empty();
    }

    /** Archived messages from {@code with} after the user's read marker there (none in notes to self). */
    private long archivedUnread(String user, String with, long floor, long hotFirst) {
        if (with.equals(user)) {
            return 0;
        }
        long after = Math.max(floor, memory.readMarker(user, with));
        return after + 1 < hotFirst ? archive.unread(user, with, after, hotFirst) : 0;
    }

    /** A read of both tiers: a function of memory's first seq, run again until no move happened meanwhile. */
    private <T> T consistent(String user, java.util.function.LongFunction<T> read) {
        while (true) {
            long[] bounds = memory.bounds(user);
            Runnable hook = betweenBoundsAndRead;
            if (hook != null) {
                hook.run();
            }
            T result = read.apply(bounds[0]);
            // Moves are counted, not read off the first seq: on a stream at its count limit every append raises that
            // seq, and a read would start again for ever. A trim drops nothing a read here could still want.
            if (memory.bounds(user)[2] == bounds[2]) {
                return result;
            }
        }
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
