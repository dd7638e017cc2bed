#!/usr/bin/env python3
"""Shares of a CPU profile by what the core was doing, one line per async-profiler collapsed file.

Usage: bench/profiles/shares.py <window.collapsed>...   (files written by the agent's `collapsed` output with
`loop=4s`, as in bench/results/profiles-2026-12-03.md; gzipped ones, `.collapsed.gz`, too)

Each line of a collapsed file is `frame;frame;...;leaf <samples>`. A sample goes to the first category whose
pattern its stack holds, in the order of CATEGORIES, so a socket write made from the journal's applier counts as a
socket write, and this project's code (`com/matchbook/realtime`: the benchmark's own hubs, under `com/matchbook/bench`,
count as "other") counts only what no earlier category claimed. Prints per file: the samples,
the share ending in the kernel (leaf frames marked `_[k]`), each category's share in percent, and two figures that
cut across the categories:
- `send syscall`: samples inside the kernel's write, writev, sendto and sendmsg system calls, from any caller and on
  any descriptor (a file's write(2) too, such as the journal's: in the tiered store's p2p profiles under 1% of the
  samples);
- `loopback rx`: of those, the ones in the kernel's receive path (the receiving socket's TCP and IP work). Over the
  loopback device the kernel runs the receiver's side inside the sender's system call, so on one machine this is the
  benchmark's clients' work charged to the server's core.
"""
import collections
import gzip
import re
import sys

CATEGORIES = [
    ("JIT", r"CompileBroker|C2Compiler|Compile::|C1 |Compilation::"),
    ("GC threads", r"ZDriver|ZWorker|ZMark|ZRelocate|ZDirector|ZUncommitter|ZGeneration|ConcurrentGCThread|"
                   r"WorkerThread::run|SerialHeap::"),
    ("journal sync", r"FileChannelImpl\.force|fdatasync|FileDispatcherImpl\.force"),
    ("journal write", r"JournalFile"),
    ("socket write", r"NioSocketImpl\.(implWrite|write)|SocketOutputStream|SocketDispatcher\.write|"
                     r"io/netty/channel/unix/Socket\.(send|write)|io/netty/channel/unix/FileDescriptor\.write"),
    ("socket read", r"NioSocketImpl\.(implRead|read|park|timedRead)|SocketInputStream|SocketDispatcher\.read"),
    ("VT scheduling", r"thaw|freeze|Continuation\.(yield|doYield)|"
                      r"VirtualThread\.(park|unpark|submit|yield|afterYield|lazySubmit|externalSubmit|parkNanos)|"
                      r"ForkJoinPool\.(scan|awaitWork|signalWork|tryAddWorker|poll)|ForkJoinPool\.runWorker;[^;]*$|"
                      r"Poller|LockSupport\.(park|unpark)"),
    ("project+JSON", r"com/matchbook/realtime|parsson"),
    ("helidon", r"io/helidon"),
    ("other", r""),
]
PATTERNS = [(name, re.compile(pattern)) for name, pattern in CATEGORIES]
SEND_SYSCALL = re.compile(r";(ksys_write|do_writev|__sys_sendto|__sys_sendmsg|"
                          r"__x64_sys_(write|writev|sendto|sendmsg))_\[k\]")
LOOPBACK_RX = re.compile(r";(__netif_receive_skb|process_backlog|net_rx_action|tcp_v4_rcv|ip_rcv)[a-z_]*_\[k\]")


def shares(path):
    """Returns (samples, samples ending in the kernel, Counter of samples per category, samples in a send system call,
    samples of those in the receive path) for one collapsed file."""
    by_category = collections.Counter()
    samples = kernel = send = receive = 0
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as lines:
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
            if SEND_SYSCALL.search(stack):
                send += n
                if LOOPBACK_RX.search(stack):
                    receive += n
    return samples, kernel, by_category, send, receive


def main(paths):
    width = max(32, *(len(path.split("/")[-1]) for path in paths))
    print("file".ljust(width), "samples", "kernel%", *(name.rjust(13) for name, _ in CATEGORIES),
          "send syscall".rjust(13), "loopback rx".rjust(13))
    for path in paths:
        samples, kernel, by_category, send, receive = shares(path)
        total = max(samples, 1)
        print(path.split("/")[-1].ljust(width), str(samples).rjust(7), f"{100 * kernel / total:7.1f}",
              *(f"{100 * by_category[name] / total:13.1f}" for name, _ in CATEGORIES),
              f"{100 * send / total:13.1f}", f"{100 * receive / total:13.1f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
