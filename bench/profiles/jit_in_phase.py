#!/usr/bin/env python3
"""Counts the JIT's work around each run's fixed-rate p2p phase, from the compile log in the server's log.

Usage: bench/profiles/jit_in_phase.py 'DIR/B-*.json'
       bench/profiles/jit_in_phase.py --seconds LOG [LOG...]   (LOG may be gzipped)

Each JSON file is one `bench/run quick --servers matchbook-tiered --scenarios p2p` run made with
`MATCHBOOK_BENCH_SERVER_JAVA_OPTS=-XX:+PrintCompilation`, whose `bench/results/tmp/logs` was copied beside it as
`<name>-logs/`. For each run it prints the phase's start (node uptime, s), its p99 (ms) and the node's CPU there,
then, from the `-XX:+PrintCompilation` lines (uptime in ms first, tier fourth; a tier-4 line is a C2 compile):
C2 compiles begun before the 4 s ahead of the phase, in those 4 s, and inside the phase; C1 compiles (tiers 1-3)
inside it; methods made not entrant inside it (a compiled version replaced: tier changes and deoptimizations
alike); and the uptime of the last C2 compile. Used for bench/results/jit-in-phase-2026-12-04.md.

With --seconds it reads server logs alone and prints, for each whole second of uptime up to the last compile, the C2
compiles, the C1 compiles and the methods made not entrant begun in it: where in a node's life its JIT worked, to set
beside the steps' `from_uptime_s` in the run's JSON (bench/results/jit-lag-2026-12-07.md).
"""
import collections
import glob
import gzip
import json
import re
import sys

COMPILE = re.compile(r'^\s*(\d+)\s+(\d+)\s+([%sbn! ]{0,6})\s*(\d)?\s+(\S+)')


def count(times, start, end):
    """How many of these uptimes (ms) fall in [start, end)."""
    return sum(1 for t in times if start <= t < end)


def main(pattern):
    for path in sorted(glob.glob(pattern)):
        with open(path) as f:
            run = next(r for r in json.load(f)['results'] if r['scenario'] == 'p2p')
        start, end = run['fixed_from_s'] * 1000, run['fixed_to_s'] * 1000
        c2, c1, replaced = [], [], []
        with open(path[:-len('.json')] + '-logs/matchbook-tiered-p2p.log') as f:
            for line in f:
                m = COMPILE.match(line)
                if not m:
                    continue
                t, tier = int(m.group(1)), m.group(4)
                if 'made not entrant' in line:
                    replaced.append(t)
                elif tier == '4':
                    c2.append(t)
                elif tier in ('1', '2', '3'):
                    c1.append(t)
        print(f"{path.rsplit('/', 1)[-1][:-5]} phase from {run['fixed_from_s']:.1f} s, p99 {run['p99_ms']:.1f} ms, "
              f"CPU {run['server_cpu_pct']:.1f}% | C2: {count(c2, 0, start - 4000)} before, "
              f"{count(c2, start - 4000, start)} in the 4 s ahead, {count(c2, start, end)} in the phase | "
              f"C1 in the phase {count(c1, start, end)} | made not entrant in the phase {count(replaced, start, end)} "
              f"| last C2 at {max(c2, default=0) / 1000:.1f} s")


def by_second(log):
    """Per whole second of uptime: (C2 compiles, C1 compiles, made not entrant), from one -XX:+PrintCompilation log."""
    counts = collections.defaultdict(lambda: [0, 0, 0])
    with (gzip.open(log, 'rt') if log.endswith('.gz') else open(log)) as f:
        for line in f:
            m = COMPILE.match(line)
            if not m:
                continue
            second, tier = int(m.group(1)) // 1000, m.group(4)
            if 'made not entrant' in line:
                counts[second][2] += 1
            elif tier == '4':
                counts[second][0] += 1
            elif tier in ('1', '2', '3'):
                counts[second][1] += 1
    return counts


def seconds(logs):
    for log in logs:
        counts = by_second(log)
        print(log.rsplit('/', 1)[-1])
        print('uptime_s  C2  C1  not_entrant')
        for second in range(max(counts, default=-1) + 1):
            c2, c1, replaced = counts[second]
            print(f'{second:8d} {c2:3d} {c1:3d} {replaced:12d}')


if __name__ == '__main__':
    if len(sys.argv) >= 3 and sys.argv[1] == '--seconds':
        seconds(sys.argv[2:])
    elif len(sys.argv) == 2 and sys.argv[1] != '--seconds':
        main(sys.argv[1])
    else:
        sys.exit(__doc__)
