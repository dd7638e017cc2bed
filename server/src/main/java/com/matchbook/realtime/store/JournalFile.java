package com.matchbook.realtime.store;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The journal store's files under the data directory, by generation: {@code snapshot-<g>.bin}, the whole state when
 * generation {@code g} began, and {@code journal-<g>.log}, the changes after it, appended and synced in batches.
 * Generation 0 has no snapshot. Every record, in either file, is framed as an int payload length, the payload's
 * CRC-32C (an int) and the payload.
 *
 * <p>Crash rules. A batch is acknowledged only after {@link FileChannel#force} returned, so an acknowledged record is
 * whole on disk. A crash mid-batch leaves a torn tail in the newest journal (a short frame, or one whose checksum
 * fails): on open, reading stops at the first such frame and the file is cut there, which drops only records nobody
 * was told were stored. A snapshot is written under a temporary name while the next journal already takes changes,
 * synced, renamed into place and the directory synced; only then are the older generations deleted. So a crash at any
 * point leaves the newest complete snapshot (or none) and every journal since, which {@link #open} replays in order.
 *
 * <p>Room ahead. The newest journal is filled with zeros ahead of the writer, up to the next {@link #ROOM_STEP}
 * boundary past what a batch needs, and that room is synced ({@code fsync}) before records go into it. A batch written
 * inside the room changes neither the file's size nor its block map, so the batch's {@code fdatasync} writes only the
 * batch's pages; appending past the end makes every sync write the inode and the allocation's metadata as well, each a
 * separate synchronous write (kernel stacks in docs/performance.md, "The journal's room ahead"). A crash leaves the
 * room in place, and replay stops at its first zero length, which is where the records end (a record is never empty),
 * so the newest journal's tail of zeros is not a torn one. A journal is cut to its records, and synced, before the next
 * generation's is created ({@link #rotate}), so an older journal never ends in zeros: there they would be damage. The
 * writer cuts the room when it stops ({@link #cutRoom}).
 */
final class JournalFile implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JournalFile.class.getName());
    private static final Pattern NAME = Pattern.compile("(journal|snapshot)-(\\d{10})\\.(log|bin)");
    /** Larger frames than this are taken as corruption, not read: a record holds at most one message or entry. */
    private static final int MAX_PAYLOAD = 64 << 20;
    private static final int HEADER = 8;
    /** The longest rest a snapshot takes between buffers: it paces itself, see {@link InPlaceFramer#rest}. */
    private static final long MAX_REST_NANOS = 50_000_000L;
    /** A snapshot is written in chunks of this many bytes ({@link DirectFileWriter}). */
    private static final int SNAPSHOT_CHUNK = 1 << 20;
    /**
     * An older generation's file is cut by this many bytes at a time before it is deleted ({@link #retire}), with
     * {@link #RETIRE_PAUSE_NANOS} between cuts.
     */
    private static final long RETIRE_STEP = 8 << 20;
    private static final long RETIRE_PAUSE_NANOS = 10_000_000L;
    /**
     * The journal is zero-filled ahead of the writer up to a multiple of this. On this project's test machine (ext4, a
     * virtual disk) a fill of one step stops the writer for about 2 ms, and a sync of a few records inside the room
     * takes 25-50% less CPU than one that extends the file; in the benchmark, the tiered store's p99 at 5,000 msg/s
     * was lower in six pairs of six (bench/results/journal-room-ab-2026-12-02.md). Steps of 4 MiB had shown no
     * consistent gain (bench/results/not-kept-2026-12-02.md).
     */
    static final int ROOM_STEP = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10).asReadOnlyBuffer();

    private final Path dir;
    private final Framer framer = new Framer();
    private long generation;
    private FileChannel channel;
    private long size;
    /** The file's length: {@link #size} plus the zeroed room ahead of the writer, synced. */
    private long allocated;
    private final long snapshotBytes;

    private JournalFile(Path dir, long generation, FileChannel channel, long size, long snapshotBytes) {
        this.dir = dir;
        this.generation = generation;
        this.channel = channel;
        this.size = size;
        this.allocated = size;
        this.snapshotBytes = snapshotBytes;
    }

    /**
     * Opens the journal in {@code dir} (creating generation 0 when there is none): hands every record of the newest
     * complete snapshot and of every journal since, in order, to {@code replay}; cuts a torn tail off the newest
     * journal; deletes older generations and temporary files.
     *
     * @throws IOException           when a file cannot be read or written
     * @throws IllegalStateException when a snapshot or a journal other than the newest is damaged (not a crash's
     *                               torn tail: a disk's or an operator's doing, which replay must not paper over)
     */
    static JournalFile open(Path dir, Consumer<ByteBuffer> replay) throws IOException {
        Files.createDirectories(dir);
        TreeMap<Long, Path> journals = new TreeMap<>();
        TreeMap<Long, Path> snapshots = new TreeMap<>();
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                Matcher m = NAME.matcher(name);
                if (m.matches() && m.group(1).equals("journal") == m.group(3).equals("log")) {
                    (m.group(1).equals("journal") ? journals : snapshots).put(Long.parseLong(m.group(2)), p);
                } else if ((name.startsWith("journal-") || name.startsWith("snapshot-")) && name.endsWith(".tmp")) {
                    stale.add(p);
                }
            }
        }
        long base = snapshots.isEmpty() ? (journals.isEmpty() ? 0 : journals.firstKey()) : snapshots.lastKey();
        long snapshotBytes = 0;
        if (snapshots.containsKey(base)) {
            Path snapshot = snapshots.get(base);
            snapshotBytes = Files.size(snapshot);
            if (readWhole(snapshot, replay) != snapshotBytes) {
                throw new IllegalStateException(snapshot + " is damaged");
            }
        }
        long newest = journals.isEmpty() ? base : Math.max(base, journals.lastKey());
        long good = 0;
        for (long g = base; g <= newest; g++) {
            Path journal = journals.get(g);
            if (journal == null) {
                continue;
            }
            good = readWhole(journal, replay);
            if (g < newest && good != Files.size(journal)) {
                throw new IllegalStateException(journal + " is damaged at byte " + good + " and is not the newest");
            }
        }
        Path file = dir.resolve(name("journal", newest));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                                               StandardOpenOption.WRITE);
        if (channel.size() > good) {
            if (!zerosFrom(file, good)) {
                LOG.log(Level.WARNING, "event=journal-torn-tail file=" + file + " kept=" + good + " dropped="
                        + (channel.size() - good));
            }
            // Cut either way: room ahead is zero-filled again before use, and a torn tail may hold whole records of a
            // batch nobody was told was stored, which later records must not be followed by.
            channel.truncate(good);
            channel.force(true);
        }
        channel.position(good);
        syncDirectory(dir);
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
        JournalFile opened = new JournalFile(dir, newest, channel, good, snapshotBytes);
        opened.retire(base, false);   // nothing writes yet: at once
        return opened;
    }

    /** Bytes in the current generation's journal. */
    long size() {
        return size;
    }

    /** Bytes of the snapshot the journal was opened on (0 when none). */
    long snapshotBytes() {
        return snapshotBytes;
    }

    /**
     * Appends the payloads and syncs the file's data: when this returns, all of them are on disk.
     *
     * @throws IOException when writing or syncing fails; what was written of the batch is then cut off if the file
     *                     still allows it
     */
    void append(List<byte[]> payloads) throws IOException {
        long start = size;
        try {
            long need = 0;
            for (byte[] p : payloads) {
                need += HEADER + p.length;
            }
            makeRoom(need);
            size += framer.write(channel, payloads);
            channel.force(false);
        } catch (IOException e) {
            framer.reset();
            // Whole frames of the failed batch may be in the file: cut them off if the file still allows it, so a
            // restart does not apply changes whose senders were told they failed.
            try {
                channel.truncate(start);
                channel.force(true);
                size = start;
                allocated = start;
            } catch (IOException | RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /**
     * Zero-fills and syncs room for at least {@code need} more bytes after {@link #size}, if there is not that much
     * already: up to the next {@link #ROOM_STEP} boundary past them, and past the end of the file only, so no record is
     * ever overwritten.
     */
    private void makeRoom(long need) throws IOException {
        long end = size + need;
        if (end <= allocated) {
            return;
        }
        long to = (end / ROOM_STEP + 1) * ROOM_STEP;
        ByteBuffer zeros = ZEROS.duplicate();
        for (long at = allocated; at < to; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
            at += channel.write(zeros, at);
        }
        channel.force(true);
        allocated = to;
    }

    /**
     * Starts the next generation's journal, which takes every later {@link #append}; the current one is complete.
     *
     * @return the new generation, whose snapshot the caller then writes with {@link #writeSnapshot}
     */
    long rotate() throws IOException {
        // Cut and synced first: a crash after the next journal exists must find this one ending at its last record.
        channel.truncate(size);
        allocated = size;
        channel.force(true);
        long next = generation + 1;
        FileChannel fresh = FileChannel.open(dir.resolve(name("journal", next)), StandardOpenOption.CREATE_NEW,
                                             StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            syncDirectory(dir);
        } catch (IOException e) {
            fresh.close();
            Files.deleteIfExists(dir.resolve(name("journal", next)));
            throw e;
        }
        FileChannel previous = channel;
        channel = fresh;
        generation = next;
        size = 0;
        allocated = 0;
        previous.close();
        return next;
    }

    /**
     * Writes generation {@code g}'s snapshot: the records {@code state} puts into the {@link JournalRecord.RecordOut}
     * it is handed, framed in place and written in that order on the calling thread. The snapshot is synced and renamed
     * into place, and then the older generations are deleted. Runs beside {@link #append}, on another thread.
     *
     * @return the snapshot's bytes
     * @throws IOException when it cannot be written: the older generations are then kept, and still replay whole
     */
    long writeSnapshot(long g, Consumer<JournalRecord.RecordOut> state) throws IOException {
        long bytes = writeSnapshot(dir, g, state);
        retire(g, true);
        return bytes;
    }

    /**
     * Whether {@code dir} holds no journal and no snapshot yet (nothing to replay: {@link #open} would start empty).
     *
     * @throws IOException when the directory cannot be listed
     */
    static boolean isNew(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.noneMatch(p -> NAME.matcher(p.getFileName().toString()).matches());
        }
    }

    /**
     * Writes {@code snapshot-<g>.bin} in {@code dir} whole or not at all (a temporary file, synced, renamed, the
     * directory synced); before {@link #open}, a first state for a new journal (the {@link TieredStore}'s import).
     *
     * @return the snapshot's size in bytes
     */
    static long writeSnapshot(Path dir, long g, Consumer<JournalRecord.RecordOut> state) throws IOException {
        Path tmp = dir.resolve("snapshot-" + String.format("%010d", g) + ".tmp");
        long bytes;
        try (DirectFileWriter out = DirectFileWriter.create(tmp, SNAPSHOT_CHUNK)) {
            InPlaceFramer records = new InPlaceFramer(out);
            state.accept(records);
            records.drain();
            bytes = out.finish();
        } catch (UncheckedIOException e) {
            Files.deleteIfExists(tmp);
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, dir.resolve(name("snapshot", g)), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(dir);
        return bytes;
    }

    /**
     * Cuts the room ahead off the newest journal, so a stopped node's files end at their last record. Only on the
     * thread that appends, once it appends no more (a cut beside an append could take that append's records with it).
     * Best effort: a room left in place replays the same.
     */
    void cutRoom() {
        try {
            if (channel.isOpen() && allocated > size) {
                channel.truncate(size);
                allocated = size;
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "event=journal-room-kept", e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Whether every byte of {@code file} from {@code offset} on is zero: room ahead of the writer, not records. */
    private static boolean zerosFrom(Path file, long offset) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
            long at = offset;
            int n;
            while ((n = in.read(buffer.clear(), at)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer.get(i) != 0) {
                        return false;
                    }
                }
                at += n;
            }
            return true;
        }
    }

    /**
     * Deletes the journals and snapshots of generations before {@code g}. With {@code gradually} (the snapshot thread,
     * beside the writer) each file is first cut {@link #RETIRE_STEP} bytes at a time: freeing 140 MB at once (with the
     * file system's {@code discard}, as here) made a journal sync beside it wait 21-26 ms, freeing 8 MiB at a time at
     * most 2.4 ms (docs/performance.md, "The snapshot's stalls taken out: kept"). A crash between cuts
     * leaves a shortened file of a generation before the newest snapshot, which {@link #open} skips and deletes.
     */
    private void retire(long g, boolean gradually) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Long.parseLong(m.group(2)) < g) {
                    if (gradually) {
                        shrink(p);
                    }
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void shrink(Path file) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long size = c.size() - RETIRE_STEP; size > 0; size -= RETIRE_STEP) {
                c.truncate(size);
                LockSupport.parkNanos(RETIRE_PAUSE_NANOS);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // gone already
        }
    }

    /** Frames payloads into a direct buffer and writes it; one per writing thread. */
    private static final class Framer {
        private final ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);
        private final CRC32C crc = new CRC32C();

        /** @return the bytes written */
        long write(FileChannel to, List<byte[]> payloads) throws IOException {
            long n = 0;
            for (byte[] p : payloads) {
                if (out.remaining() < HEADER + p.length) {
                    n += drain(to);
                }
                if (out.remaining() < HEADER + p.length) {
                    ByteBuffer big = ByteBuffer.allocate(HEADER + p.length);
                    frame(big, p);
                    big.flip();
                    n += writeFully(to, big);
                } else {
                    frame(out, p);
                }
            }
            return n + drain(to);
        }

        void reset() {
            out.clear();
        }

        private void frame(ByteBuffer into, byte[] payload) {
            crc.reset();
            crc.update(payload);
            into.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        }

        private long drain(FileChannel to) throws IOException {
            out.flip();
            long n = writeFully(to, out);
            out.clear();
            return n;
        }

        private static long writeFully(FileChannel to, ByteBuffer buffer) throws IOException {
            long n = 0;
            while (buffer.hasRemaining()) {
                n += to.write(buffer);
            }
            return n;
        }
    }

    /**
     * Frames records in a buffer as their payloads are put into it (the header's room left, then filled with the
     * payload's length and checksum), and writes the buffer out whenever the next record might not fit. A snapshot's
     * writer: no array per record. @throws UncheckedIOException from {@link #begin} when writing fails
     */
    private static final class InPlaceFramer implements JournalRecord.RecordOut {
        private final DirectFileWriter to;
        private final CRC32C crc = new CRC32C();
        private ByteBuffer out = ByteBuffer.allocate(1 << 20);
        private int start = -1;
        /** When the snapshot last resumed after a rest (System.nanoTime()). */
        private long resumed = System.nanoTime();

        InPlaceFramer(DirectFileWriter to) {
            this.to = to;
        }

        @Override
        public ByteBuffer begin(int maxPayload) {
            if (out.remaining() < HEADER + maxPayload) {
                try {
                    drain();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                rest();
                if (out.capacity() < HEADER + maxPayload) {
                    out = ByteBuffer.allocate(HEADER + maxPayload);   // a large attachment's entry
                }
            }
            start = out.position();
            out.position(start + HEADER);
            return out;
        }

        @Override
        public void end() {
            int length = out.position() - start - HEADER;
            crc.reset();
            crc.update(out.array(), start + HEADER, length);
            out.putInt(start, length).putInt(start + Integer.BYTES, (int) crc.getValue());
            start = -1;
        }

        void drain() throws IOException {
            to.write(out.array(), out.arrayOffset(), out.position());
            out.clear();
        }

        private void rest() {
            // Rest as long as the last buffer took (at most MAX_REST), so the snapshot takes at most about half of the
            // core it may share with the writer and the applier: in JournalCost on one core the longest wait for an
            // answer during a snapshot was 194 ms (median of five) with this, 218 ms without, for 3.0 s of snapshot
            // instead of 1.8 s.
            long busy = System.nanoTime() - resumed;
            if (busy > 0) {
                LockSupport.parkNanos(Math.min(busy, MAX_REST_NANOS));
            }
            resumed = System.nanoTime();
        }
    }

    /** Replays the whole records of {@code file}; returns the offset after the last whole one. */
    private static long readWhole(Path file, Consumer<ByteBuffer> replay) throws IOException {
        long good = 0;
        CRC32C check = new CRC32C();
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            while (true) {
                int length;
                int sum;
                byte[] payload;
                try {
                    length = in.readInt();
                    sum = in.readInt();
                    if (length < 1 || length > MAX_PAYLOAD) {
                        return good;
                    }
                    payload = in.readNBytes(length);
                } catch (EOFException e) {
                    return good;
                }
                if (payload.length < length) {
                    return good;
                }
                check.reset();
                check.update(payload);
                if ((int) check.getValue() != sum) {
                    return good;
                }
                replay.accept(ByteBuffer.wrap(payload));
                good += HEADER + length;
            }
        }
    }

    private static String name(String kind, long generation) {
        return kind + "-" + String.format("%010d", generation) + (kind.equals("journal") ? ".log" : ".bin");
    }

    /** Makes a rename or truncation in {@code dir} durable (POSIX: the directory entry needs its own sync). */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
