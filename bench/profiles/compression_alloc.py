#!/usr/bin/env python3
"""Heap the server allocated per `send` in each variant of a `compression` run, from its collector log.

Usage: bench/profiles/compression_alloc.py <rate> <matchbook-compression.log> [...]

<rate> is the scenario's send rate (1000 for quick, 5000 for full: bench/generator Sizes.java). The log is the
server's, from bench/results/tmp/logs (bench/run starts the footprint scenarios' JVMs with Serial GC and
`-Xlog:gc:stdout`, and overwrites the log with the next run: copy it after each run). It holds one process per
variant, each begun by a `== ` line, in the scenario's order: off, takeover, no_takeover. A variant's send phase
follows its last full collection (the footprint measure before the sends); the heap allocated between two young
pauses is the heap before the later one less what the earlier one left: the young generation's use between them,
in whole thread-local buffers, so slightly over what the code allocated, the same way for every variant. Allocated
MB per second over the rate gives KB per send. Unlike the scenario's CPU per send, this figure barely moves between
runs of the same jar.
"""
import re
import sys

PAUSE = re.compile(r"\[([\d.]+)s\].*Pause (Young|Full) \([^)]*\) (\d+)M->(\d+)M")
VARIANTS = ("off", "takeover", "no_takeover")


def processes(path):
    """Each process's pauses in order: (uptime_s, kind, heap_before_mb, heap_after_mb)."""
    out = []
    with open(path) as f:
        for line in f:
            if line.startswith("== "):
                out.append([])
            elif out:
                m = PAUSE.search(line)
                if m:
                    out[-1].append((float(m[1]), m[2], int(m[3]), int(m[4])))
    return out


def kb_per_send(pauses, rate):
    fulls = [i for i, p in enumerate(pauses) if p[1] == "Full"]
    young = pauses[fulls[-1] + 1:] if fulls else pauses
    if len(young) < 2:
        return None, len(young)
    mb = sum(young[i][2] - young[i - 1][3] for i in range(1, len(young)))
    return mb / (young[-1][0] - young[0][0]) * 1024 / rate, len(young)


def main():
    rate = float(sys.argv[1])
    for path in sys.argv[2:]:
        parts = []
        for name, pauses in zip(VARIANTS, processes(path)):
            kb, n = kb_per_send(pauses, rate)
            parts.append(f"{name} " + (f"{kb:.2f} KB/send ({n} young pauses)" if kb is not None else "no interval"))
        print(path, " | ".join(parts))


if __name__ == "__main__":
    main()
