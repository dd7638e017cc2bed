package com.matchbook.realtime.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The file holds exactly the bytes handed in, whatever their sizes against the chunk and the block. */
class DirectFileWriterTest {
    @TempDir
    Path dir;

    @Test
    void theFileHoldsExactlyTheBytesAppendedAcrossChunksAndAPartBlockAtTheEnd() throws IOException {
        Random random = new Random(7);
        byte[] all = new byte[3 * 8192 + 1234];   // three chunks of two blocks, then part of a block
        random.nextBytes(all);
        Path file = dir.resolve("out.bin");
        Files.write(file, new byte[100_000]);   // a longer file of the same name is replaced, not overwritten in part
        try (DirectFileWriter out = DirectFileWriter.create(file, 8192)) {
            int at = 0;
            for (int size : new int[] {1, 4095, 4097, 8191, 3, 9000}) {   // pieces that straddle every boundary
                out.write(all, at, size);
                at += size;
            }
            out.write(all, at, all.length - at);
            assertEquals(all.length, out.finish());
        }
        assertArrayEquals(all, Files.readAllBytes(file));
    }

    @Test
    void anEmptyFileAndOneOfWholeChunksComeOutExact() throws IOException {
        Path empty = dir.resolve("empty.bin");
        try (DirectFileWriter out = DirectFileWriter.create(empty, 8192)) {
            assertEquals(0, out.finish());
        }
        assertEquals(0, Files.size(empty));

        byte[] whole = new byte[2 * 8192];
        Arrays.fill(whole, (byte) 0x5a);
        Path file = dir.resolve("whole.bin");
        try (DirectFileWriter out = DirectFileWriter.create(file, 8192)) {
            out.write(whole, 0, whole.length);
            assertEquals(whole.length, out.finish());
        }
        assertArrayEquals(whole, Files.readAllBytes(file));
    }
}
