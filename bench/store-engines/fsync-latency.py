#!/usr/bin/env python3
"""How long this machine's disk takes to sync an append, under a steady message rate: the floor under the p99 of
any store that acknowledges a message only once it is synced (the journal store, SQLite with synchronous=FULL).

Appends records of --bytes at --rate per second to a file in --dir, one fdatasync per group of whatever arrived
while the previous sync ran (a group commit, like the stores' writers), for --seconds; prints the percentiles of
the sync times and of each record's wait from arrival to synced. Standard library only.

    python3 bench/store-engines/fsync-latency.py --rate 5000 --seconds 30
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
    a = p.parse_args()
    base = a.dir or tempfile.mkdtemp(prefix="fsync-latency-", dir=os.environ.get("TMPDIR", "/tmp"))
    path = os.path.join(base, "journal.bin")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    record = b"x" * a.bytes
    syncs, waits = [], []
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
            os.write(fd, record * len(arrivals))
            t0 = time.perf_counter()
            os.fdatasync(fd)
            t1 = time.perf_counter()
            syncs.append(t1 - t0)
            waits.extend(t1 - x for x in arrivals)
            sent = due
    finally:
        os.close(fd)
        os.unlink(path)
        if a.dir is None:
            os.rmdir(base)
    for name, xs in (("sync", syncs), ("arrival to synced", waits)):
        xs.sort()
        q = lambda f: xs[min(len(xs) - 1, int(f * len(xs)))] * 1e3
        print(f"{name}: n={len(xs)} p50={q(0.5):.2f} ms p99={q(0.99):.2f} ms p99.9={q(0.999):.2f} ms "
              f"max={xs[-1] * 1e3:.2f} ms")
    print(f"records per sync: {sent / max(1, len(syncs)):.1f}")


if __name__ == "__main__":
    main()
