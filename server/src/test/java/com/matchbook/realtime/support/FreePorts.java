package com.matchbook.realtime.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Ports for the servers a test starts (Redis nodes, Sentinels, Matchbook nodes), each handed out at most once in this
 * JVM. Why: the kernel's pick for a socket bound to port 0 is free only while that socket is open; once it is closed
 * the kernel may hand the same port out again, so two servers chosen one after the other could be given one port. The
 * second then fails to bind while the first answers in its place (seen in CI: a Redis Cluster of three primaries
 * formed with two, and never became ok).
 */
public final class FreePorts {
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /**
     * A port nothing listens on now and not handed out before in this JVM, and for each of {@code offsets} the port
     * that far above it likewise (a Redis Cluster node's bus listens on its port + 10000); all are then taken.
     *
     * @throws IOException when 100 of the kernel's picks in a row do not qualify
     */
    public static synchronized int take(int... offsets) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (HANDED_OUT.contains(port) || !othersFree(port, offsets)) {
                continue;
            }
            HANDED_OUT.add(port);
            for (int offset : offsets) {
                HANDED_OUT.add(port + offset);
            }
            return port;
        }
        throw new IOException("no free port that this JVM has not handed out already");
    }

    private static boolean othersFree(int port, int[] offsets) {
        for (int offset : offsets) {
            int other = port + offset;
            if (other > 65_535 || HANDED_OUT.contains(other)) {
                return false;
            }
            try (ServerSocket s = new ServerSocket(other)) {
                // free: closed again at once, taken by the caller's server
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
