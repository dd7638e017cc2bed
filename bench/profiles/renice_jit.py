#!/usr/bin/env python3
"""Renices the JIT compiler threads (C1 and C2) of every running `matchbook-server.jar` JVM, for an A/B run.

Usage: bench/profiles/renice_jit.py [NICE]   (default 10; runs until killed; Linux only)

Every 50 ms it looks through /proc for java processes whose command line names matchbook-server.jar, and gives each
task named `C1 CompilerThre...` or `C2 CompilerThre...` the nice value NICE with setpriority(2) on its thread id (on
Linux a nice value belongs to one thread), once per thread, printing each. It catches a restarted node (the storm)
within 50 ms. Why from outside: HotSpot's `-XX:CompilerThreadPriority` acts only with `-XX:ThreadPriorityPolicy=1`,
which renices every other thread of the JVM as well. Used for bench/results/jit-nice-ab-2026-12-04.md.
"""
import os
import sys
import time


def compiler_threads():
    """Yields (pid, tid, name) for each JIT compiler thread of each matchbook-server.jar JVM now running."""
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                cmd = f.read()
            if b'matchbook-server.jar' not in cmd or b'java' not in cmd:
                continue
            for tid in os.listdir(f'/proc/{pid}/task'):
                with open(f'/proc/{pid}/task/{tid}/comm') as f:
                    name = f.read().strip()
                if name.startswith(('C1 CompilerThre', 'C2 CompilerThre')):
                    yield pid, tid, name
        except OSError:
            continue   # the process or thread ended meanwhile


def main(nice):
    done = set()
    while True:
        for pid, tid, name in compiler_threads():
            if (pid, tid) not in done:
                try:
                    os.setpriority(os.PRIO_PROCESS, int(tid), nice)
                    print(time.strftime('%T'), 'reniced', pid, tid, name, 'to', nice, flush=True)
                except OSError as e:
                    print(time.strftime('%T'), 'failed', pid, tid, name, e, flush=True)
                done.add((pid, tid))
        time.sleep(0.05)


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
