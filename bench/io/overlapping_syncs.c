/*
 * Would a journal answer sooner if a batch's fdatasync could start while the previous one still runs?
 * (docs/performance.md, "Overlapping syncs: measured, not built".)
 *
 * Records arrive at RATE a second (Poisson arrivals, 256 bytes each). The writer takes everything that has arrived,
 * writes it with one pwrite into a zero-filled, synced file (as the journal's room is), and starts its fdatasync:
 * with DEPTH 1 on the writer itself, so the next batch waits for it (the journal store's writer); with DEPTH 2 or more
 * on a thread of its own, so up to DEPTH syncs run at once. No sync starts sooner than GAP_NS after the previous one
 * began (the journal's short gap is 250,000). A record counts as durable when its batch's sync and every earlier
 * batch's sync have returned (the order a journal must answer in). Prints the latency from arrival to durable.
 *
 *     cc -O2 -o /tmp/overlapping_syncs bench/io/overlapping_syncs.c -lpthread -lm
 *     /tmp/overlapping_syncs DIR RATE SECONDS DEPTH GAP_NS      # e.g. DIR 5000 8 1 250000, then DEPTH 2
 *
 * DIR must be on the disk under test; the 256 MiB file is deleted at the end. The writer waits by spinning, so run it
 * on an otherwise idle machine with a core to spare.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RECORD 256
#define FILE_BYTES (256L << 20)
#define MAX_BATCHES 1000000

typedef struct {
    long first, last;   /* the records it holds, by index */
    long synced_at;     /* when its fdatasync returned */
} batch;

static int fd;
static batch batches[MAX_BATCHES];
static atomic_int in_flight;

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void *sync_batch(void *arg) {
    batch *b = arg;
    fdatasync(fd);
    b->synced_at = now_ns();
    atomic_fetch_sub(&in_flight, 1);
    return NULL;
}

static int by_value(const void *a, const void *b) {
    long x = *(const long *) a, y = *(const long *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s DIR RATE SECONDS DEPTH GAP_NS\n", argv[0]);
        return 2;
    }
    double rate = atof(argv[2]), seconds = atof(argv[3]);
    int depth = atoi(argv[4]);
    long gap = atol(argv[5]);
    char path[4096];
    snprintf(path, sizeof path, "%s/overlapping-syncs.bin", argv[1]);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    char *zeros = calloc(1, 1 << 20);
    for (long at = 0; at < FILE_BYTES; at += 1 << 20) {
        if (pwrite(fd, zeros, 1 << 20, at) != 1 << 20) {
            perror("pwrite");
            return 1;
        }
    }
    fsync(fd);

    long n = (long) (rate * seconds);
    long *arrival = malloc(n * sizeof *arrival), *latency = malloc(n * sizeof *latency);
    srand48(getpid());
    long t = now_ns() + 50000000L;
    for (long i = 0; i < n; i++) {
        t += (long) (-log(1 - drand48()) / rate * 1e9);
        arrival[i] = t;
    }

    char *buffer = malloc((size_t) n * RECORD);
    memset(buffer, 'x', (size_t) n * RECORD);
    long offset = 0, next = 0, count = 0, last_start = 0;
    while (next < n && count < MAX_BATCHES) {
        while (now_ns() < arrival[next]) {
        }
        while (atomic_load(&in_flight) >= depth) {
        }
        while (last_start != 0 && now_ns() - last_start < gap) {
        }
        long last = next, at = now_ns();
        while (last + 1 < n && arrival[last + 1] <= at) {
            last++;
        }
        long bytes = (last - next + 1) * RECORD;
        if (offset + bytes > FILE_BYTES) {
            offset = 0;
        }
        if (pwrite(fd, buffer, bytes, offset) != bytes) {
            perror("pwrite");
            return 1;
        }
        offset += bytes;
        batch *b = &batches[count++];
        b->first = next;
        b->last = last;
        last_start = now_ns();
        atomic_fetch_add(&in_flight, 1);
        if (depth == 1) {
            sync_batch(b);
        } else {
            pthread_t thread;
            pthread_create(&thread, NULL, sync_batch, b);
            pthread_detach(thread);
        }
        next = last + 1;
    }
    while (atomic_load(&in_flight) > 0) {
    }
    long durable = 0, records = 0;
    for (long k = 0; k < count; k++) {
        if (batches[k].synced_at > durable) {
            durable = batches[k].synced_at;
        }
        for (long i = batches[k].first; i <= batches[k].last; i++) {
            latency[records++] = durable - arrival[i];
        }
    }
    qsort(latency, records, sizeof *latency, by_value);
    printf("depth %d, gap %ld us, %ld records in %ld syncs: arrival to durable p50 %.3f, p90 %.3f, p99 %.3f, "
           "p99.9 %.3f ms\n", depth, gap / 1000, records, count, latency[records / 2] / 1e6,
           latency[records * 9 / 10] / 1e6, latency[records * 99 / 100] / 1e6, latency[records * 999 / 1000] / 1e6);
    close(fd);
    unlink(path);
    return 0;
}
