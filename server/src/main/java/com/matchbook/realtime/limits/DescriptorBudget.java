package com.matchbook.realtime.limits;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * How many connections fit under the process's file-descriptor limit ({@code RLIMIT_NOFILE}, {@code ulimit -n}).
 * <p>
 * Every accepted socket is a descriptor; so are the ~90 jars on the class path, the store's files, the Redis pool and
 * the logs. When {@code accept} runs out of descriptors ({@code EMFILE}), Helidon 4.5's listener stops for good, so
 * connections must never be the thing that exhausts the table. The budget, for a limit {@code L}:
 * <pre>
 *   reserve       = max(256, L / 10)              descriptors kept for everything that is not a client connection
 *   accept cap    = L - reserve                   Helidon's maxTcpConnections: accepted sockets never exceed it
 *   refusal band  = max(16, accept cap / 16)      sockets that are accepted only to be answered 503 and closed
 *   max-connections (default) = accept cap - refusal band
 * </pre>
 * For {@code L = 1024}: 720 connections, 48 in the refusal band, 256 for the rest. For {@code L = 20000}: 16,875.
 */
public final class DescriptorBudget {
    /** A process on this machine holds ~110 descriptors before its first client (jars, store, logs). */
    static final int MIN_RESERVE = 256;
    /** Where the limit cannot be read (not a Unix JVM): a conservative default. */
    static final long UNKNOWN_LIMIT = 4096;

    private DescriptorBudget() {
    }

    /** {@code RLIMIT_NOFILE} of this process, or {@link #UNKNOWN_LIMIT} where the JVM cannot tell. */
    public static long descriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0) {
            return unix.getMaxFileDescriptorCount();
        }
        return UNKNOWN_LIMIT;
    }

    /** The default of {@code matchbook.limits.max-connections} for this process's limit. */
    public static int defaultMaxConnections() {
        return maxConnections(descriptorLimit());
    }

    static int maxConnections(long limit) {
        int acceptCap = acceptCap(limit);
        return Math.max(1, acceptCap - refusalBand(acceptCap));
    }

    /** Descriptors for sockets at most, refusals included, for a descriptor limit. */
    static int acceptCap(long limit) {
        long reserve = Math.max(MIN_RESERVE, limit / 10);
        return (int) Math.max(2, Math.min(Integer.MAX_VALUE / 2, limit - reserve));
    }

    /** Sockets accepted over {@code maxConnections} at one time, each only to be refused and closed. */
    static int refusalBand(int connections) {
        return Math.max(16, connections / 16);
    }

    /**
     * Helidon's {@code maxTcpConnections} for a configured {@code maxConnections}: that many plus the refusal band,
     * so that refusals can be answered while the node is full, and accept blocks (the kernel's backlog holds the
     * rest) rather than take a descriptor the process does not have.
     */
    public static int acceptCapFor(int maxConnections) {
        return maxConnections + refusalBand(maxConnections);
    }
}
