package com.matchbook.realtime.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.sun.nio.file.ExtendedOpenOption;

/**
 * Writes a new file from its start to its end around the kernel's page cache ({@code O_DIRECT}, the JDK's
 * {@link ExtendedOpenOption#DIRECT}) where the file system allows it, and through the page cache where it does not
 * (tmpfs refuses it, for one).
 *
 * <p>Why: a journal snapshot is about 140 MB at the benchmark's full size (5,000 users). Written through the page
 * cache, all of it was still dirty at its final {@code fsync}, which then sent it to the disk at once, and the journal's
 * own syncs, which every acknowledged send waits for, waited 44-74 ms behind that on this project's test machine
 * (ext4 on a virtual disk, docs/performance.md "The snapshot's stalls taken out: kept"). Written direct,
 * each chunk goes to the disk when it is written, so a journal sync waits behind at most one chunk, and the final sync
 * has only the file's metadata left.
 *
 * <p>{@code O_DIRECT} needs the buffer's address, the file position and every write's length to be multiples of the
 * file system's block (open(2), "O_DIRECT"). This writer keeps all three at a multiple of {@link #alignment()}: it
 * copies what it is handed into its own aligned buffer, writes only whole chunks until {@link #finish}, pads the last
 * block with zeros and then cuts the file back to the bytes it was handed. Not thread-safe.
 */
final class DirectFileWriter implements AutoCloseable {
    private static final int MIN_ALIGNMENT = 4096;

    private final FileChannel channel;
    private final boolean direct;
    private final int alignment;
    private final ByteBuffer chunk;
    private long length;

    private DirectFileWriter(FileChannel channel, boolean direct, int alignment, int chunkBytes) {
        this.channel = channel;
        this.direct = direct;
        this.alignment = alignment;
        int capacity = Math.max(alignment, chunkBytes / alignment * alignment);
        // A multiple of the alignment long, whichever address the allocation got.
        this.chunk = ByteBuffer.allocateDirect(capacity + alignment).alignedSlice(alignment);
    }

    /**
     * Creates {@code file} (emptied if it exists) for writing in chunks of about {@code chunkBytes} (rounded down to a
     * multiple of the alignment, at least one block).
     *
     * @throws IOException when the file cannot be created or opened
     */
    static DirectFileWriter create(Path file, int chunkBytes) throws IOException {
        int alignment = MIN_ALIGNMENT;
        try {
            long block = Files.getFileStore(file.toAbsolutePath().getParent()).getBlockSize();
            if (block > alignment && block <= (1 << 20) && Long.bitCount(block) == 1) {
                alignment = (int) block;
            }
            FileChannel direct = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                                                  StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            return new DirectFileWriter(direct, true, alignment, chunkBytes);
        } catch (IOException | UnsupportedOperationException e) {
            // No O_DIRECT here (EINVAL on tmpfs): the same bytes through the page cache, synced at the end.
            FileChannel cached = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                                                  StandardOpenOption.WRITE);
            return new DirectFileWriter(cached, false, alignment, chunkBytes);
        }
    }

    /** Whether the file is written around the page cache. */
    boolean direct() {
        return direct;
    }

    /** The block the writes are aligned to, in bytes: 4 KiB, or the file system's block when that is larger. */
    int alignment() {
        return alignment;
    }

    /**
     * Appends {@code length} bytes of {@code bytes} from {@code offset}, writing each chunk as it fills.
     *
     * @throws IOException when a write fails
     */
    void write(byte[] bytes, int offset, int length) throws IOException {
        this.length += length;
        while (length > 0) {
            int n = Math.min(length, chunk.remaining());
            chunk.put(bytes, offset, n);
            offset += n;
            length -= n;
            if (!chunk.hasRemaining()) {
                writeChunk();
            }
        }
    }

    /**
     * Writes what is left, cuts the file to the bytes appended and syncs it with its metadata.
     *
     * @return the file's length in bytes
     * @throws IOException when writing or syncing fails
     */
    long finish() throws IOException {
        if (chunk.position() > 0) {
            if (direct) {
                int end = (chunk.position() + alignment - 1) / alignment * alignment;
                while (chunk.position() < end) {
                    chunk.put((byte) 0);
                }
            }
            writeChunk();
        }
        if (direct) {
            channel.truncate(length);
        }
        channel.force(true);
        return length;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void writeChunk() throws IOException {
        chunk.flip();
        while (chunk.hasRemaining()) {
            channel.write(chunk);
        }
        chunk.clear();
    }
}
