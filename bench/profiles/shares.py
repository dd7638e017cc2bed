#!/usr/bin/env python3
"""Shares of a CPU profile by what the core was doing, one line per async-profiler collapsed file.

Usage: bench/profiles/shares.py <window.collapsed>...   (files written by the agent's `collapsed` output with
`loop=4s`, as in bench/results/profiles-2026-12-03.md)

Each line of a collapsed file is `frame;frame;...;leaf <samples>`. A sample goes to the first category whose
pattern its stack holds, in the order of CATEGORIES, so a socket write made from the journal's applier counts as a
socket write, and this project's code counts only what no earlier category claimed. Prints per file: the samples,
the share ending in the kernel (leaf frames marked `_[k]`), and each category's share in percent.
"""
import collections
import re
import sys

CATEGORIES = [
    ("JIT", r"CompileBroker|C2Compiler|Compile::|C1 |Compilation::"),
    ("GC threads", r"ZDriver|ZWorker|ZMark|ZRelocate|ZDirector|ZUncommitter|ZGeneration|ConcurrentGCThread|"
                   r"WorkerThread::run"),
    ("journal sync", r"FileChannelImpl\.force|fdatasync|FileDispatcherImpl\.force"),
    ("journal write", r"JournalFile"),
    ("socket write", r"NioSocketImpl\.(implWrite|write)|SocketOutputStream|SocketDispatcher\.write"),
    ("socket read", r"NioSocketImpl\.(implRead|read|park|timedRead)|SocketInputStream|SocketDispatcher\.read"),
    ("VT scheduling", r"thaw|freeze|Continuation\.(yield|doYield)|"
                      r"VirtualThread\.(park|unpark|submit|yield|afterYield|lazySubmit|externalSubmit|parkNanos)|"
                      r"ForkJoinPool\.(scan|awaitWork|signalWork|tryAddWorker|poll)|ForkJoinPool\.runWorker;[^;]*$|"
                      r"Poller|LockSupport\.(park|unpark)"),
    ("project+JSON", r"com/matchbook|parsson"),
    ("helidon", r"io/helidon"),
    ("other", r""),
]
PATTERNS = [(name, re.compile(pattern)) for name, pattern in CATEGORIES]


def shares(path):
    """Returns (samples, samples ending in the kernel, Counter of samples per category) for one collapsed file."""
    by_category = collections.Counter()
    samples = kernel = 0
    with open(path) as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            n = int(count)
            samples += n
            if stack.endswith("_[k]"):
                kernel += n
            name = next(name for name, pattern in PATTERNS if pattern.search(stack))
            by_category[name] += n
    return samples, kernel, by_category


def main(paths):
    print("file".ljust(32), "samples", "kernel%", *(name.rjust(13) for name, _ in CATEGORIES))
    for path in paths:
        samples, kernel, by_category = shares(path)
        total = max(samples, 1)
        print(path.split("/")[-1].ljust(32), str(samples).rjust(7), f"{100 * kernel / total:7.1f}",
              *(f"{100 * by_category[name] / total:13.1f}" for name, _ in CATEGORIES))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
