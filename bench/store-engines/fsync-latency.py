#!/usr/bin/env python3
"""How long this machine's disk takes to sync an append, under a steady message rate: the floor under the p99 of
any store that acknowledges a message only once it is synced (the journal store, SQLite with synchronous=FULL).

Appends records of --bytes at --rate per second to a file in --dir, one fdatasync per group of whatever arrived
while the previous sync ran (a group commit, like the stores' writers), for --seconds; prints the percentiles of
the sync times, of each record's wait from arrival to synced, and the CPU time each sync took on the calling
thread (the kernel's work for it). With --room MIB the file is zero-filled and synced MIB ahead of the appends, as
the journal store does (JournalFile's room ahead): syncs inside that room write no size or block-map change. With
--dsync the file is opened O_DSYNC and each group's write is its sync (no fdatasync): the other way a journal can ask
for durable writes. Standard library only.

    python3 bench/store-engines/fsync-latency.py --rate 5000 --seconds 30
    python3 bench/store-engines/fsync-latency.py --rate 5000 --seconds 30 --room 1
    python3 bench/store-engines/fsync-latency.py --rate 5000 --seconds 30 --room 1 --dsync
"""
import argparse
import os
import tempfile
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rate", type=float, default=5000, help="records per second")
    p.add_argument("--bytes", type=int, default=400, help="bytes per record (a message's two stream entries)")
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--dir", default=None, help="where to write (default: a temporary directory under data/)")
    p.add_argument("--room", type=int, default=0, help="MiB zero-filled and synced ahead of the appends (0: none)")
    p.add_argument("--dsync", action="store_true", help="open the file O_DSYNC: each write is synced, no fdatasync")
    a = p.parse_args()
    base = a.dir or tempfile.mkdtemp(prefix="fsync-latency-", dir=os.environ.get("TMPDIR", "/tmp"))
    path = os.path.join(base, "journal.bin")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | (os.O_DSYNC if a.dsync else 0), 0o600)
    record = b"x" * a.bytes
    step = a.room << 20
    zeros = bytes(1 << 20)
    written = allocated = 0
    syncs, waits, cpus, group_cpus = [], [], [], []
    start = time.perf_counter()
    sent = 0
    try:
        while True:
            now = time.perf_counter()
            if now - start >= a.seconds:
                break
            due = int((now - start) * a.rate)
            if due <= sent:
                time.sleep(min(0.0002, (sent + 1) / a.rate - (now - start)))
                continue
            arrivals = [start + i / a.rate for i in range(sent, due)]
            batch = record * len(arrivals)
            if step and written + len(batch) > allocated:
                end = (written + len(batch)) // step * step + step
                while allocated < end:
                    allocated += os.pwrite(fd, zeros, allocated)
                os.fsync(fd)
            w0 = time.thread_time()
            written += os.pwrite(fd, batch, written)
            c0, t0 = time.thread_time(), time.perf_counter()
            if not a.dsync:
                os.fdatasync(fd)
            t1, c1 = time.perf_counter(), time.thread_time()
            syncs.append(t1 - t0)
            cpus.append(c1 - c0)
            group_cpus.append(c1 - w0)
            waits.extend(t1 - x for x in arrivals)
            sent = due
    finally:
        os.close(fd)
        os.unlink(path)
        if a.dir is None:
            os.rmdir(base)
    # With --dsync the sync happens inside the write, so "sync" and "CPU per sync" are near zero there: compare the
    # last line, a group's write and sync together, and the CPU they take per second of the run.
    for name, xs in (("sync", syncs), ("arrival to synced", waits), ("CPU per sync", cpus),
                     ("CPU per group, write and sync", group_cpus)):
        xs.sort()
        q = lambda f: xs[min(len(xs) - 1, int(f * len(xs)))] * 1e3
        print(f"{name}: n={len(xs)} p50={q(0.5):.2f} ms p99={q(0.99):.2f} ms p99.9={q(0.999):.2f} ms "
              f"max={xs[-1] * 1e3:.2f} ms")
    print(f"records per sync: {sent / max(1, len(syncs)):.1f}")
    print(f"CPU for writes and syncs: {sum(group_cpus) / a.seconds * 100:.0f}% of a core")


if __name__ == "__main__":
    main()
