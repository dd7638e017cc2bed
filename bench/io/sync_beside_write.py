"""Times a journal's small synced appends while a snapshot-sized file is written, synced, renamed, and an older one
deleted beside it: how long the journal's syncs wait in each step (docs/performance.md, "The snapshot's end: written
around the page cache").

One thread appends 600 bytes and calls fdatasync, once a millisecond, like the journal's writer under load. The main
thread writes a 140 MB file in 1 MiB writes (2 ms apart), syncs it, renames it, syncs the directory, then deletes a
140 MB file written before. Prints, per step, its length, the journal syncs that began in it, and their longest and
median wait in ms.

    python3 bench/io/sync_beside_write.py DIR MODE     # MODE: plain | direct | chunkdel

plain: through the page cache, deleted at once (the journal store before 2026-12-05). direct: the big file written
with O_DIRECT. chunkdel: the old file cut 8 MiB at a time (20 ms apart) before it is deleted. DIR must be on the
disk under test; the script leaves nothing behind.
"""
import mmap
import os
import sys
import threading
import time

MB = 1 << 20


def main(d, mode):
    stalls = []
    stop = threading.Event()

    def journal():
        fd = os.open(os.path.join(d, "journal.log"), os.O_CREAT | os.O_WRONLY | os.O_TRUNC)
        record = b"x" * 600
        while not stop.is_set():
            t = time.monotonic()
            os.write(fd, record)
            os.fdatasync(fd)
            stalls.append((t, (time.monotonic() - t) * 1000))
            time.sleep(0.001)
        os.close(fd)

    old = os.path.join(d, "old.bin")
    with open(old, "wb") as f:
        for _ in range(140):
            f.write(os.urandom(MB))
        f.flush()
        os.fsync(f.fileno())
    marks = {}
    writer = threading.Thread(target=journal)
    writer.start()
    time.sleep(1.0)
    marks["write"] = time.monotonic()
    tmp = os.path.join(d, "snap.tmp")
    flags = os.O_CREAT | os.O_WRONLY | os.O_TRUNC | (os.O_DIRECT if mode == "direct" else 0)
    fd = os.open(tmp, flags)
    chunk = mmap.mmap(-1, MB)   # page-aligned, as O_DIRECT needs
    chunk.write(os.urandom(MB))
    for _ in range(140):
        os.write(fd, chunk)
        time.sleep(0.002)
    marks["fsync"] = time.monotonic()
    os.fsync(fd)
    os.close(fd)
    marks["rename"] = time.monotonic()
    os.rename(tmp, os.path.join(d, "snap.bin"))
    dfd = os.open(d, os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)
    marks["delete"] = time.monotonic()
    if mode == "chunkdel":
        size = os.path.getsize(old)
        with open(old, "r+b") as f:
            while size > 0:
                size = max(0, size - 8 * MB)
                f.truncate(size)
                time.sleep(0.02)
    os.remove(old)
    marks["after"] = time.monotonic()
    time.sleep(1.5)
    marks["end"] = time.monotonic()
    stop.set()
    writer.join()
    os.remove(os.path.join(d, "snap.bin"))
    os.remove(os.path.join(d, "journal.log"))

    def line(name, waits, span=None):
        waits = sorted(waits)
        top = waits[-1] if waits else 0.0
        mid = waits[len(waits) // 2] if waits else 0.0
        length = f"{span:8.1f} ms" if span is not None else " " * 11
        print(f"{mode:9s} {name:7s} {length}  syncs={len(waits):5d}  max={top:7.1f}  p50={mid:6.2f}")

    line("before", [ms for t, ms in stalls if t < marks["write"]])
    names = ["write", "fsync", "rename", "delete", "after", "end"]
    for a, b in zip(names, names[1:]):
        line(a, [ms for t, ms in stalls if marks[a] <= t < marks[b]], (marks[b] - marks[a]) * 1000)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in ("plain", "direct", "chunkdel"):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
