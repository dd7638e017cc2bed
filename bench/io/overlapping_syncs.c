/*
 * Would a journal answer sooner if a batch's fdatasync could start while the previous one still runs?
 * (docs/performance.md, "Overlapping syncs: measured, not built".)
 *
 * Records arrive at RATE a second (Poisson arrivals, 256 bytes each). The writer sleeps until a record has arrived,
 * takes everything that has, writes it with one pwrite into a zero-filled, synced file (as the journal's room is), and
 * has it synced: with DEPTH 1 it calls fdatasync itself, so the next batch waits for it (the journal store's writer);
 * with DEPTH 2 or more it hands the batch to one of DEPTH sync threads (started once) and goes on, so up to DEPTH
 * syncs run at once. No sync starts sooner than GAP_NS after the previous one began (the journal's short gap is
 * 250,000). A batch is durable when its own sync or a later batch's has returned (each called after its pwrite; an
 * earlier batch's sync that happens to start after it is not counted, which can only make overlapping syncs look
 * slower, and hardly at these rates), and is answered when it and every earlier batch are durable (the order a
 * journal must answer in). Prints the latency from a record's arrival to its answer.
 *
 *     cc -O2 -o /tmp/overlapping_syncs bench/io/overlapping_syncs.c -lpthread -lm
 *     /tmp/overlapping_syncs DIR RATE SECONDS DEPTH GAP_NS      # e.g. DIR 5000 8 1 250000, then DEPTH 2
 *
 * DIR must be on the disk under test; the 256 MiB file is deleted at the end. Every wait sleeps (no spinning), so
 * the sync threads and the kernel's I/O completion have the machine's cores.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
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
    long synced_at;     /* when the fdatasync called for it returned */
} batch;

static int fd;
static char path[4096];
static batch batches[MAX_BATCHES];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static long handed = 0, taken = 0;   /* batches handed to the sync threads, and taken by them */
static int in_flight = 0;
static int done = 0;

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void sleep_until(long ns) {
    struct timespec t = {ns / 1000000000L, ns % 1000000000L};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) != 0) {
    }
}

static void fail(const char *what) {
    perror(what);
    unlink(path);
    exit(1);
}

static void sync_now(batch *b) {
    if (fdatasync(fd) != 0) {
        fail("fdatasync");
    }
    b->synced_at = now_ns();
}

static void *sync_thread(void *unused) {
    (void) unused;
    pthread_mutex_lock(&lock);
    while (1) {
        while (taken == handed && !done) {
            pthread_cond_wait(&changed, &lock);
        }
        if (taken == handed) {
            break;
        }
        batch *b = &batches[taken++];
        pthread_mutex_unlock(&lock);
        sync_now(b);
        pthread_mutex_lock(&lock);
        in_flight--;
        pthread_cond_broadcast(&changed);
    }
    pthread_mutex_unlock(&lock);
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
    long n = (long) (rate * seconds);
    if (depth < 1 || n < 1000 || gap < 0) {
        fprintf(stderr, "DEPTH must be 1 or more, RATE x SECONDS 1,000 or more, GAP_NS 0 or more\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/overlapping-syncs.bin", argv[1]);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    char *zeros = calloc(1, 1 << 20);
    for (long at = 0; at < FILE_BYTES; at += 1 << 20) {
        if (pwrite(fd, zeros, 1 << 20, at) != 1 << 20) {
            fail("pwrite");
        }
    }
    if (fsync(fd) != 0) {
        fail("fsync");
    }
    pthread_t *threads = calloc(depth, sizeof *threads);
    for (int i = 0; depth > 1 && i < depth; i++) {
        if (pthread_create(&threads[i], NULL, sync_thread, NULL) != 0) {
            fail("pthread_create");
        }
    }

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
        sleep_until(arrival[next]);
        pthread_mutex_lock(&lock);
        while (in_flight >= depth) {
            pthread_cond_wait(&changed, &lock);
        }
        pthread_mutex_unlock(&lock);
        if (last_start != 0 && now_ns() - last_start < gap) {
            sleep_until(last_start + gap);
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
            fail("pwrite");
        }
        offset += bytes;
        batch *b = &batches[count++];
        b->first = next;
        b->last = last;
        last_start = now_ns();
        if (depth == 1) {
            sync_now(b);
        } else {
            pthread_mutex_lock(&lock);
            in_flight++;
            handed++;
            pthread_cond_broadcast(&changed);
            pthread_mutex_unlock(&lock);
        }
        next = last + 1;
    }
    pthread_mutex_lock(&lock);
    done = 1;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    for (int i = 0; depth > 1 && i < depth; i++) {
        pthread_join(threads[i], NULL);
    }

    /* Durable: the earliest return of a sync called after the batch was written (its own or a later batch's). */
    for (long k = count - 2; k >= 0; k--) {
        if (batches[k + 1].synced_at < batches[k].synced_at) {
            batches[k].synced_at = batches[k + 1].synced_at;
        }
    }
    long answered = 0, records = 0;
    for (long k = 0; k < count; k++) {
        if (batches[k].synced_at > answered) {
            answered = batches[k].synced_at;
        }
        for (long i = batches[k].first; i <= batches[k].last; i++) {
            latency[records++] = answered - arrival[i];
        }
    }
    qsort(latency, records, sizeof *latency, by_value);
    printf("depth %d, gap %ld us, %ld records in %ld syncs: arrival to answer p50 %.3f, p90 %.3f, p99 %.3f, "
           "p99.9 %.3f ms\n", depth, gap / 1000, records, count, latency[records / 2] / 1e6,
           latency[records * 9 / 10] / 1e6, latency[records * 99 / 100] / 1e6, latency[records * 999 / 1000] / 1e6);
    close(fd);
    unlink(path);
    return 0;
}
