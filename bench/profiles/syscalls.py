#!/usr/bin/env python3
"""System calls and context switches per message at each step of a p2p ramp, from perf's counts of the node.

Usage:
    bench/profiles/syscalls.py <dir>                     # one run: every step, and the fixed 5,000 msg/s phase
    bench/profiles/syscalls.py table <rate> <dir>...     # Markdown: per server kind, the medians at that rate

Inputs, from one `bench/run quick --servers KIND --scenarios p2p` watched by `bench/profiles/syscalls.sh`:
- `<dir>/quick.json`: the p2p result, with the fixed phase (`fixed_from_s`, `fixed_to_s`, `fixed_rate_msgs_s`) and
  its `steps`, each with its offered and achieved rates and `from_uptime_s` (seconds of the node's uptime);
- `<dir>/perf.csv`: `perf stat -I 250 -x,` lines, `<seconds since perf began>,<count>,,<event>,...`, each the count
  of one event over the interval that ends then;
- `<dir>/perf-start` and `<dir>/launch`: when perf began and when the node launched, in seconds since the epoch.

A step's schedule is its `sent` messages at its achieved rate (3 s in quick, 10 s in full; bench/README.md,
"Scenarios"); the counts of the intervals that lie wholly inside it, over the messages sent in them (the achieved rate
times their length), are per message sent: one `send` and whatever it costs the node (the recipient's `message`, the
sender's `ack` and own copy; for the peers, their relay and ack). The calls are grouped by what they do: reads
(`read`, `readv`, `recvfrom`, `recvmsg`), writes (`write`, `writev`, `sendto`, `sendmsg`: sockets, and the tiered
store's journal appends), `epoll_ctl` (a socket's interest set or re-armed), epoll waits, `futex` (a thread parked or
woken), file syncs (`fdatasync`, `fsync`) and `pwrite64` (the journal zero-filling its room ahead); `other` is the
rest of `raw_syscalls`; `switches` counts `sched_switch`, a thread of the node leaving the CPU. A family this kernel
had no tracepoint for (the run dir's `events` file lists what perf was asked to count) shows as n/a.

The table leaves out the ramp's failed tries: a step that failed ran with a backlog or a full core, where reads and
writes carry several frames each, and would set a server at its limit beside one that is not.
"""
import json
import os
import signal
import statistics
import sys

GROUPS = {
    "read": "reads", "readv": "reads", "recvfrom": "reads", "recvmsg": "reads",
    "write": "writes", "writev": "writes", "sendto": "writes", "sendmsg": "writes",
    "epoll_ctl": "epoll_ctl",
    "epoll_wait": "epoll waits", "epoll_pwait": "epoll waits", "epoll_pwait2": "epoll waits",
    "futex": "futex",
    "fdatasync": "file syncs", "fsync": "file syncs",
    "pwrite64": "pwrite64",
}
COLUMNS = ["reads", "writes", "epoll_ctl", "epoll waits", "futex", "file syncs", "pwrite64", "other"]
STEP_S = 3.0   # the quick ramp's step (bench/README.md), for a step that records no `sent`


def call_of(event):
    """The system call a `syscalls:sys_enter_<call>` tracepoint counts, or None for any other event."""
    prefix = "syscalls:sys_enter_"
    return event[len(prefix):] if event.startswith(prefix) else None


def read_counts(path):
    """perf stat's interval lines as {interval end (s since perf began): {"all", group..., "switches": count}}. An
    interval with any count perf could not read (`<not counted>`, `<not supported>`: the first one often, while perf
    attaches) is left out whole, so that no family of it reads as zero; an event of no group is ignored."""
    counts, unreadable = {}, set()
    with open(path) as f:
        for line in f:
            fields = line.strip().split(",")
            if line.startswith("#") or len(fields) < 4:
                continue
            try:
                end = float(fields[0])
            except ValueError:
                continue
            event = fields[3]
            if event == "raw_syscalls:sys_enter":
                key = "all"
            elif event == "sched:sched_switch":
                key = "switches"
            elif call_of(event) in GROUPS:
                key = GROUPS[call_of(event)]
            else:
                continue
            try:
                value = int(fields[1])
            except ValueError:
                unreadable.add(end)
                continue
            row = counts.setdefault(end, {})
            row[key] = row.get(key, 0) + value
    return {end: row for end, row in counts.items() if end not in unreadable}


def counted_groups(directory):
    """The groups perf was asked to count in this run (its `events` file), or None (every group) for a run without
    one."""
    path = os.path.join(directory, "events")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        calls = [call_of(e) for e in f.read().strip().split(",")]
    return {GROUPS[c] for c in calls if c in GROUPS}


def intervals(directory):
    """The run's intervals as [(start, end, counts)] in seconds of the node's uptime, in order. The generator's uptime
    clock starts when it spawns the node; this one at the kernel's start time of the node's process (through taskset,
    a few ms later), and `perf-start` is taken just before perf starts counting (its own start-up later again), so an
    interval may sit some tens of ms earlier than it reads: about 1% of a 3 s step at its edges."""
    with open(os.path.join(directory, "perf-start")) as f:
        perf_start = float(f.read())
    with open(os.path.join(directory, "launch")) as f:
        launch = float(f.read())
    offset = perf_start - launch
    counts = read_counts(os.path.join(directory, "perf.csv"))
    out, previous = [], 0.0
    for end in sorted(counts):
        out.append((offset + previous, offset + end, counts[end]))
        previous = end
    return out


def per_message(windows, lo, hi, rate, groups=None):
    """Counts per message over the intervals wholly inside [lo, hi] of uptime, with `rate` the messages the generator
    sent a second then (not what the node got through), as a dict with "seconds", "syscalls", "switches" and one
    entry per column (None for a group not in `groups`, when given); None when no interval lies inside."""
    inside = [(s, e, c) for s, e, c in windows if lo <= s and e <= hi]
    if not inside:
        return None
    seconds = sum(e - s for s, e, _ in inside)
    messages = rate * seconds
    total = {}
    for _, _, c in inside:
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
    grouped = sum(total.get(k, 0) for k in COLUMNS if k != "other")
    figures = {k: (total.get(k, 0) / messages if groups is None or k in groups else None)
               for k in COLUMNS if k != "other"}
    # perf reads each event's counter at its own instant, so an interval's groups can exceed its total by a few calls.
    figures["other"] = max(0, total.get("all", 0) - grouped) / messages
    figures["syscalls"] = total.get("all", 0) / messages
    figures["switches"] = total.get("switches", 0) / messages
    figures["seconds"] = seconds
    return figures


def run_figures(directory):
    """The run's server kind and its rows: the fixed phase, then each step of the ramp, each a dict with the `rate`,
    `phase` ("fixed" or "step"), `failed`, `p99_ms` and the per-message figures of per_message."""
    with open(os.path.join(directory, "quick.json")) as f:
        results = [r for r in json.load(f)["results"] if r.get("scenario") == "p2p"]
    if not results:
        raise SystemExit(f"no p2p result in {directory}/quick.json")
    result = results[0]
    windows = intervals(directory)
    groups = counted_groups(directory)
    rows = []
    if "fixed_from_s" in result:
        rate = result.get("fixed_rate_msgs_s", 5000)
        figures = per_message(windows, result["fixed_from_s"], result["fixed_to_s"], rate, groups)
        if figures:
            rows.append({"rate": rate, "phase": "fixed", "failed": False, "p99_ms": result.get("p99_ms"), **figures})
    for step in result.get("steps", []):
        lo = step["from_uptime_s"]
        achieved = step.get("achieved_msgs_s", step["offered_msgs_s"])
        length = step["sent"] / achieved if step.get("sent") and achieved else STEP_S
        figures = per_message(windows, lo, lo + length, achieved, groups)
        if figures:
            rows.append({"rate": step["offered_msgs_s"], "phase": "step", "failed": bool(step.get("failed")),
                         "p99_ms": step.get("p99_ms"), **figures})
    return result["server"], rows


def cell(value):
    return "n/a" if value is None else f"{value:.2f}"


def show(directory):
    """Prints each row of one run; a failed try of the ramp is marked."""
    server, rows = run_figures(directory)
    print(f"{server}: system calls per message sent")
    print(f"{'msg/s':>7} {'phase':6} {'p99 ms':>8} {'all':>6} " + " ".join(f"{c[:11]:>11}" for c in COLUMNS)
          + f" {'switches':>9}")
    for r in rows:
        phase = "failed" if r["failed"] else r["phase"]
        print(f"{r['rate']:>7} {phase:6} {r['p99_ms'] or 0:8.2f} {r['syscalls']:6.2f} "
              + " ".join(f"{cell(r[c]):>11}" for c in COLUMNS) + f" {r['switches']:9.2f}")


def summary(values):
    """The median of `values` with their range when there are several, or n/a when a group was not counted."""
    if any(v is None for v in values):
        return "n/a"
    middle = f"{statistics.median(values):.2f}"
    return middle if len(values) == 1 else f"{middle} ({min(values):.2f}-{max(values):.2f})"


def table(rate, directories):
    """Prints a Markdown table: per server kind, the median and range over the windows of `rate` in `directories`
    (the fixed phase and the ramp's passing tries; failed tries are left out) of each figure per message, with the
    number of windows."""
    by_kind = {}
    for directory in directories:
        server, rows = run_figures(directory)
        by_kind.setdefault(server, []).extend(r for r in rows if r["rate"] == rate and not r["failed"])
    kinds = [k for k in sorted(by_kind) if by_kind[k]]
    if not kinds:
        raise SystemExit(f"no passing window at {rate} msg/s in {' '.join(directories)}")
    print(f"| per message sent at {rate:,} msg/s, median (range) of the passing windows | "
          + " | ".join(f"{k} ({len(by_kind[k])})" for k in kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    for name in ["syscalls"] + COLUMNS + ["switches"]:
        label = {"syscalls": "**system calls**", "switches": "context switches"}.get(name, name)
        print(f"| {label} | " + " | ".join(summary([r[name] for r in by_kind[k]]) for k in kinds) + " |")


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "table":
        table(int(sys.argv[2]), sys.argv[3:])
    elif len(sys.argv) == 2 and not sys.argv[1].startswith("-"):
        show(sys.argv[1])
    else:
        sys.exit(__doc__.split("\n\n")[1])


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # quietly, under `| head`
    main()
