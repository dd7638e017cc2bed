package com.matchbook.realtime.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Connections to a file that is not a database: each failed open closes what it opened. */
class SqliteReadersTest {
    @TempDir
    Path dir;

    @Test
    void failedOpensOfAFileThatIsNotADatabaseLeaveNoDescriptorOpen() throws IOException {
        Path file = dir.resolve("damaged.db");
        Files.writeString(file, "not a database ".repeat(300));
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        for (int i = 0; i < 10; i++) {
            assertThrows(SQLException.class, () -> SqliteReaders.open(url), "one connection");
            assertThrows(SQLException.class, () -> new SqliteReaders(url), "the readers' pool");
        }
        assertEquals(0, descriptorsOn(file), "descriptors still open on the file after 20 failed opens");
    }

    /** This process's open descriptors on {@code file} (Linux's /proc; elsewhere none are seen). */
    private static long descriptorsOn(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        Path target = file.toRealPath();
        long n = 0;
        try (var list = Files.list(fds)) {
            for (Path fd : list.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(target)) {
                        n++;
                    }
                } catch (IOException gone) {
                    // closed meanwhile (the listing's own descriptor among them)
                }
            }
        }
        return n;
    }
}
