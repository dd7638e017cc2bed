package com.matchbook.realtime.store;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The journal store's file: {@code journal-<generation>.log} under the data directory, records appended and synced
 * in batches. Each record is framed as an int payload length, the payload's CRC-32C (an int) and the payload.
 *
 * <p>Crash rules. A batch is acknowledged only after {@link FileChannel#force} returned, so an acknowledged record is
 * whole on disk. A crash mid-batch leaves a torn tail (a short frame, or one whose checksum fails): on open, reading
 * stops at the first such frame and the file is cut there, which drops only records nobody was told were stored.
 * A compaction writes the next generation under a temporary name, syncs it, renames it into place and syncs the
 * directory before the older generation is deleted, so a crash at any point leaves one complete newest generation.
 */
final class JournalFile implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JournalFile.class.getName());
    private static final Pattern NAME = Pattern.compile("journal-(\\d{10})\\.log");
    /** Larger frames than this are taken as corruption, not read: a record holds at most one message or entry. */
    private static final int MAX_PAYLOAD = 64 << 20;
    private static final int HEADER = 8;

    private final Path dir;
    private long generation;
    private FileChannel channel;
    private long size;
    private final ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C crc = new CRC32C();

    private JournalFile(Path dir, long generation, FileChannel channel, long size) {
        this.dir = dir;
        this.generation = generation;
        this.channel = channel;
        this.size = size;
    }

    /**
     * Opens the newest generation in {@code dir} (creating the first when there is none), hands every whole record's
     * payload to {@code replay} in file order, cuts a torn tail, and deletes older generations and temporary files.
     *
     * @throws IOException when the directory or file cannot be read or written
     */
    static JournalFile open(Path dir, Consumer<ByteBuffer> replay) throws IOException {
        Files.createDirectories(dir);
        long newest = -1;
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                Matcher m = NAME.matcher(name);
                if (m.matches()) {
                    newest = Math.max(newest, Long.parseLong(m.group(1)));
                } else if (name.startsWith("journal-") && name.endsWith(".tmp")) {
                    stale.add(p);
                }
            }
        }
        long generation = Math.max(newest, 0);
        Path file = dir.resolve(name(generation));
        long good = newest < 0 ? 0 : readWhole(file, replay);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                                               StandardOpenOption.WRITE);
        if (channel.size() > good) {
            LOG.log(Level.WARNING, "event=journal-torn-tail file=" + file + " kept=" + good + " dropped="
                    + (channel.size() - good));
            channel.truncate(good);
            channel.force(true);
        }
        channel.position(good);
        syncDirectory(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Long.parseLong(m.group(1)) < generation) {
                    stale.add(p);
                }
            }
        }
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
        return new JournalFile(dir, generation, channel, good);
    }

    /** Whether {@code dir} holds a journal. */
    static boolean exists(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> NAME.matcher(p.getFileName().toString()).matches());
        }
    }

    /** Bytes in the current generation. */
    long size() {
        return size;
    }

    /**
     * Appends the payloads and syncs the file's data: when this returns, all of them are on disk.
     *
     * @throws IOException when writing or syncing fails; what was written of the batch is then unknown
     */
    void append(List<byte[]> payloads) throws IOException {
        long start = size;
        try {
            write(channel, payloads);
            channel.force(false);
        } catch (IOException e) {
            out.clear();
            // Whole frames of the failed batch may be in the file: cut them off if the file still allows it, so a
            // restart does not apply changes whose senders were told they failed.
            try {
                channel.truncate(start);
                channel.force(true);
                size = start;
            } catch (IOException | RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /** The current generation's number: it changes once a compaction's file is in place. */
    long generation() {
        return generation;
    }

    /**
     * Starts the next generation with the payloads {@code state} writes (the whole state), synced and in place
     * before the current generation is deleted; later {@link #append}s go to it.
     *
     * @throws IOException before the rename: the current generation is untouched and stays the journal; after it
     *                     ({@link #generation()} changed): the rename may not be durable, so nothing appended later is
     *                     safe
     */
    void compact(Consumer<Consumer<byte[]>> state) throws IOException {
        long next = generation + 1;
        Path tmp = dir.resolve("journal-" + String.format("%010d", next) + ".tmp");
        FileChannel fresh = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                                             StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            List<byte[]> pending = new ArrayList<>();
            state.accept(payload -> {
                pending.add(payload);
                if (pending.size() >= 4096) {
                    flush(fresh, pending);
                }
            });
            flush(fresh, pending);
            fresh.force(true);
            Files.move(tmp, dir.resolve(name(next)), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            fresh.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
        // The next generation is in place and whole: from here on it is the journal, whatever fails below.
        Path old = dir.resolve(name(generation));
        FileChannel previous = channel;
        channel = fresh;
        generation = next;
        size = fresh.size();
        previous.close();
        syncDirectory(dir);
        Files.deleteIfExists(old);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void flush(FileChannel to, List<byte[]> payloads) {
        try {
            write(to, payloads);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        payloads.clear();
    }

    private void write(FileChannel to, List<byte[]> payloads) throws IOException {
        for (byte[] p : payloads) {
            if (out.remaining() < HEADER + p.length) {
                drain(to);
            }
            if (out.remaining() < HEADER + p.length) {
                ByteBuffer big = ByteBuffer.allocate(HEADER + p.length);
                frame(big, p);
                big.flip();
                size += writeFully(to, big);
            } else {
                frame(out, p);
            }
        }
        drain(to);
    }

    private void frame(ByteBuffer into, byte[] payload) {
        crc.reset();
        crc.update(payload);
        into.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
    }

    private void drain(FileChannel to) throws IOException {
        out.flip();
        size += writeFully(to, out);
        out.clear();
    }

    private static long writeFully(FileChannel to, ByteBuffer buffer) throws IOException {
        long n = 0;
        while (buffer.hasRemaining()) {
            n += to.write(buffer);
        }
        return n;
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

    private static String name(long generation) {
        return "journal-" + String.format("%010d", generation) + ".log";
    }

    /** Makes a rename or truncation in {@code dir} durable (POSIX: the directory entry needs its own sync). */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
