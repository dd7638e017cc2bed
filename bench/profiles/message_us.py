#!/usr/bin/env python3
"""Where a message's microseconds go: CPU per message at each step of a p2p ramp, split by what the core was running.

Usage:
    bench/profiles/message_us.py <dir> [--server KIND] [--rates 10000,15000] [--json OUT]   # one run, every step
    bench/profiles/message_us.py table <rate> <dir>...     # Markdown: per server kind, the medians at that rate

Inputs, from one `bench/run quick --servers KIND --scenarios p2p` with async-profiler writing one collapsed file a
second (`bench/profiles/message_us.sh` runs it that way, and attaches the profiler to the running node: an agent on
the command line would cost the node its AOT cache, and the tiered store then sustains a step or two less):
- `<dir>/quick.json`: the p2p result's `steps`, each with its offered and achieved rates and `from_uptime_s`;
- `<dir>/cpu-<n>.collapsed`: the profile, one file per window of the profiler's loop (`--loop 1s`; now and then it
  also writes a file of a few milliseconds). A window ends when its file was written (the file's modification time,
  or its entry in `<dir>/ends.json` when there: an archive's, since a tar keeps whole seconds) and begins at the end
  of the one before, so the windows are placed by the clock, not by their count (profile_windows);
- `<dir>/launch`: the node's launch in seconds since the epoch, from the kernel's start time of its process (in
  0.01 s ticks).

For each step (3 s), the files whose windows lie wholly inside it are summed. With `-i 1ms` in CPU mode a sample is a
millisecond of a thread on the CPU, so samples * 1000 / messages (the step's achieved rate times the windows'
seconds) is the microseconds of the node's core per message sent (one `send`: the `message` to the recipient, the
`ack` and the sender's own copy). The generator's reading of the node's CPU over the whole step (`server_cpu_pct`,
from /proc) is printed beside it as a check on that unit: the profile's total came out 2-10% under it.

A sample goes to one row, by the frame that was running (the leaf), as in docs/performance.md "Where a message's CPU
goes, against the peers", with the kernel's samples split by the system call above them:
- kernel: the send calls' own path; the receive path that the loopback device runs inside a send (the clients'
  side, charged to the server on one machine); reads and polling; the journal's file writes and syncs; threads
  waking and sleeping (futex, the scheduler); page faults; the rest (timers, interrupts);
- JVM native code: the collector's threads, the JIT's, virtual threads' freeze and thaw, the rest (copy stubs, the
  runtime);
- Java code by package: this project (`com/matchbook/realtime`), Helidon, the libraries (Parsson, Micrometer,
  HdrHistogram, sqlite-jdbc), the JDK's classes.
`project, inclusive` is every sample with a frame of this project anywhere on its stack (what its code runs and
makes the JDK and the kernel run), printed apart from the rows, which sum to the total.
"""
import argparse
import glob
import json
import os
import re
import signal
import statistics
import sys

from shares import CATEGORIES, LOOPBACK_RX, SEND_SYSCALL

# The Java and libc frames count too: on this VM a system call's first samples often land where the kernel enables
# interrupts again (`pvm_irq_enable`), under the entry frames but above no frame of the call itself.
KERNEL_SEND = re.compile(SEND_SYSCALL.pattern + r"|SocketDispatcher\.write|__GI_write|writev")
KERNEL_READ = re.compile(r";(ksys_read|__sys_recvfrom|__sys_recvmsg|do_epoll_wait|__x64_sys_(read|recvfrom|recvmsg|"
                         r"epoll_wait|epoll_pwait|epoll_ctl)|do_epoll_ctl)_\[k\]|SocketDispatcher\.read|__GI_read|"
                         r"EPoll\.|epoll_")
# The kernel's frames (`_[k]`: a Java method named `schedule` or C2's `PhaseCFG::schedule_*` is not the scheduler),
# or the C library's futex calls above a sample at the system call's entry (as for the reads and sends above).
SCHEDULING = re.compile(r";(\w*futex\w*|schedule|__schedule|schedule_\w+|try_to_wake_up|\w*nanosleep\w*|"
                        r"exit_to_user_mode_loop|\w*sched_yield\w*)_\[k\]|__futex_abstimed_wait|"
                        r"pthread_cond_(signal|broadcast|wait|timedwait|clockwait)|__lll_lock_w(ait|ake)|"
                        r"Unsafe_(Park|Unpark)")
PAGE_FAULT = re.compile(r";\w*page_fault\w*_\[k\]")
FILE_IO = re.compile(r"FileChannelImpl\.(force|write)|fdatasync|ext4_|jbd2|blk_|virtblk")
JOURNAL_WRITE = re.compile(r"JournalFile|DirectFileWriter")
# shares.py's patterns for the collector's and the JIT's threads; a leaf in ZGC's barriers is the collector's too.
GC_THREADS = re.compile(dict(CATEGORIES)["GC threads"])
GC = re.compile(GC_THREADS.pattern + r"|ZBarrier|ZHeap|ZPage")
JIT = re.compile(dict(CATEGORIES)["JIT"])
VT = re.compile(r"[Tt]haw|[Ff]reeze|StackChunk|Continuation::")
LIBRARIES = ("org/eclipse/parsson", "io/micrometer", "org/HdrHistogram", "org/sqlite", "redis/clients")
JDK = ("java/", "jdk/", "sun/", "javax/")

STAGES = [
    ("JIT compiling", JIT),
    ("collector's threads", GC_THREADS),
    ("journal writer: encode, write, fdatasync", re.compile(r"JournalStore\.writeLoop")),
    ("socket writes: outbox drain, frame header, send", re.compile(r"Outbox\.(drain|writeBatch)|WireConnection\.write|"
                                                                   r"SocketWriter|SocketDispatcher\.write")),
    ("metrics: Micrometer's timers", re.compile(r"ServerMetrics|MTimer|io/micrometer")),
    ("message and ack frames' JSON", re.compile(r"realtime/message/Frames\.|Utf8JsonWriter")),
    ("fan-out to the recipients' outboxes", re.compile(r"hub/Hub\.deliver")),
    ("store: streams, id index, conversations", re.compile(r"realtime/store/")),
    ("frame handling: parse, checks, limits", re.compile(r"ClientFrameHandler|JsonText|WsEndpoint|WireRoute|parsson")),
    ("socket reads: read, unmask, wait", re.compile(r"WireConnection\.(readFrame|handle)|ChannelInput|"
                                                    r"SocketDispatcher\.read")),
    ("JDK: poller, virtual-thread scheduling", re.compile(r"Poller|ForkJoinPool|VirtualThread|Continuation|[Tt]haw|"
                                                          r"[Ff]reeze|LockSupport")),
    ("other", re.compile(r"")),
]

ROWS = ["kernel: send calls", "kernel: loopback receive (clients' side)", "kernel: reads and polling",
        "kernel: journal file writes and syncs", "kernel: wake-ups and sleeps (futex, scheduler)",
        "kernel: page faults", "kernel: other (timers, interrupts)", "JVM: collector", "JVM: JIT",
        "JVM: virtual threads' freeze and thaw", "JVM: other native", "Java: this project", "Java: Helidon",
        "Java: libraries", "Java: JDK classes"]


# After the journal's file I/O and the sends (whose receive side is a row of its own), in this order.
# A page fault comes first: the scheduling its handler may do is the fault's cost.
KERNEL_ROWS = [(KERNEL_READ, "kernel: reads and polling"),
               (PAGE_FAULT, "kernel: page faults"),
               (SCHEDULING, "kernel: wake-ups and sleeps (futex, scheduler)")]
JAVA_ROWS = [(("com/matchbook/realtime",), "Java: this project"), (("io/helidon",), "Java: Helidon"),
             (LIBRARIES, "Java: libraries"), (JDK, "Java: JDK classes")]
NATIVE_ROWS = [(GC, "JVM: collector"), (JIT, "JVM: JIT")]


def row(stack):
    """The row of one collapsed stack (`frame;frame;...;leaf`), by its leaf and what is above it."""
    leaf = stack.rsplit(";", 1)[-1]
    if leaf.endswith("_[k]"):
        if FILE_IO.search(stack) or JOURNAL_WRITE.search(stack):
            return "kernel: journal file writes and syncs"
        if KERNEL_SEND.search(stack):
            return "kernel: loopback receive (clients' side)" if LOOPBACK_RX.search(stack) else "kernel: send calls"
        return next((name for pattern, name in KERNEL_ROWS if pattern.search(stack)),
                    "kernel: other (timers, interrupts)")
    if "/" in leaf and "::" not in leaf:
        name = next((name for prefixes, name in JAVA_ROWS if leaf.startswith(prefixes)), None)
        if name:
            return name
    name = next((name for pattern, name in NATIVE_ROWS if pattern.search(stack)), None)
    if name:
        return name
    if VT.search(";".join(stack.split(";")[-3:])):   # the copy loops under a freeze or thaw are its work too
        return "JVM: virtual threads' freeze and thaw"
    return "JVM: other native"


def stage(stack):
    """The stage of a message's path that one collapsed stack was in: the first of STAGES whose pattern it holds."""
    for name, pattern in STAGES:
        if pattern.search(stack):
            return name
    return "other"


def read(path):
    """Samples per row, samples per stage, and the samples with this project's code on the stack, of one file."""
    counts = dict.fromkeys(ROWS, 0)
    stages = dict.fromkeys([name for name, _ in STAGES], 0)
    project = 0
    with open(path) as lines:
        for line in lines:
            stack, _, n = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            counts[row(stack)] += int(n)
            stages[stage(stack)] += int(n)
            if "com/matchbook/realtime" in stack:
                project += int(n)
    return counts, stages, project


def launched(directory):
    """The node's launch in seconds since the epoch, from the dir's `launch` (message_us.sh writes it)."""
    path = os.path.join(directory, "launch")
    if not os.path.exists(path):
        raise SystemExit(f"{directory} has no `launch` file (bench/profiles/message_us.sh writes one)")
    with open(path) as f:
        return float(f.read())


LOOP_S = 1.0   # message_us.sh's `--loop 1s`


def profile_windows(directory):
    """The profile files of `directory` and their windows, [(start, end)] in seconds since the epoch, in order of their
    ends. A file's window ends when the profiler wrote it (its modification time, or its entry in `ends.json`, which
    keeps those times for an archive: a tar keeps whole seconds) and begins at the end of the one before, since the
    profiler's loop starts the next window as it writes one. A window longer than 1.5 loops does not tile (a file
    lost or overwritten, as with the first form of message_us.sh, whose names had whole seconds) and is left out, as
    is a window whose file is not there (an archive keeps only the ones a table used)."""
    recorded = os.path.join(directory, "ends.json")
    if os.path.exists(recorded):
        with open(recorded) as f:
            ends = {os.path.join(directory, name): end for name, end in json.load(f).items()}
    else:
        ends = {path: os.stat(path).st_mtime for path in glob.glob(os.path.join(directory, "cpu-*.collapsed"))}
    if not ends:
        raise SystemExit(f"no cpu-*.collapsed in {directory}")
    ordered = sorted(ends, key=ends.get)
    files, windows = [], []
    for k, path in enumerate(ordered):
        start = ends[ordered[k - 1]] if k else ends[path] - LOOP_S
        if ends[path] - start <= 1.5 * LOOP_S and os.path.exists(path):
            files.append(path)
            windows.append((start, ends[path]))
    return files, windows


def step_figures(directory, server=None):
    """Per step of the p2p ramp in `directory`/quick.json whose profile windows lie inside it: a dict with the offered
    `rate`, `failed`, the `seconds` of uptime the windows cover, `us_per_message`, the generator's `server_cpu_pct`,
    µs per message by `rows` and by `stages`, and `project_inclusive`. The server is `server`, else the first p2p
    result's."""
    with open(os.path.join(directory, "quick.json")) as f:
        results = [r for r in json.load(f)["results"]
                   if r.get("scenario") == "p2p" and (server is None or r["server"] == server)]
    if not results:
        raise SystemExit(f"no p2p result in {directory}/quick.json")
    launch = launched(directory)
    files, windows = profile_windows(directory)
    steps = results[0].get("steps", [])
    out = []
    for i, step in enumerate(steps):
        lo = step["from_uptime_s"]
        hi = steps[i + 1]["from_uptime_s"] if i + 1 < len(steps) else lo + 3
        inside = [k for k, (start, end) in enumerate(windows) if launch + lo <= start and end <= launch + hi]
        if not inside:
            continue
        counts = dict.fromkeys(ROWS, 0)
        stages = dict.fromkeys([name for name, _ in STAGES], 0)
        project = 0
        for k in inside:
            c, g, p = read(files[k])
            for name in ROWS:
                counts[name] += c[name]
            for name in stages:
                stages[name] += g[name]
            project += p
        achieved = step.get("achieved_msgs_s", step["offered_msgs_s"])
        messages = achieved * sum(windows[k][1] - windows[k][0] for k in inside)
        out.append({"rate": step["offered_msgs_s"], "achieved": achieved, "failed": bool(step.get("failed")),
                    "p99_ms": step["p99_ms"],
                    "seconds": [windows[inside[0]][0] - launch, windows[inside[-1]][1] - launch],
                    "samples": sum(counts.values()),
                    "us_per_message": 1000.0 * sum(counts.values()) / messages,
                    "server_cpu_pct": step.get("server_cpu_pct"),
                    "rows": {name: 1000.0 * counts[name] / messages for name in ROWS},
                    "stages": {name: 1000.0 * stages[name] / messages for name in stages},
                    "project_inclusive": 1000.0 * project / messages})
    return results[0], out


def show(directory, server=None, rates=None):
    """Prints each step's figures for one run."""
    result, steps = step_figures(directory, server)
    print(f"{result['server']}, sustained {result['throughput_msgs_s']} msg/s; µs of the node's core per message")
    for s in steps:
        if rates and s["rate"] not in rates:
            continue
        print(f"\n{s['rate']} msg/s ({'failed' if s['failed'] else 'passed'}, p99 {s['p99_ms']} ms), seconds "
              f"{s['seconds'][0]:.1f}-{s['seconds'][1]:.1f} of uptime: {s['us_per_message']:.1f} µs a message "
              f"({s['samples']} samples; the generator read the node at {s['server_cpu_pct']}% of its core over the "
              f"step, {10_000.0 * (s['server_cpu_pct'] or 0) / s['achieved']:.1f} µs)")
        for name in ROWS:
            print(f"  {name:48s} {s['rows'][name]:6.2f}  {100.0 * s['rows'][name] / s['us_per_message']:5.1f}%")
        print(f"  {'project, inclusive (not a row)':48s} {s['project_inclusive']:6.2f}")
        print("  by stage of the message's path (the whole stack):")
        for name in s["stages"]:
            print(f"  {name:48s} {s['stages'][name]:6.2f}  {100.0 * s['stages'][name] / s['us_per_message']:5.1f}%")


def table(rate, directories):
    """Prints a Markdown table: per server kind, the median over every try of `rate` in `directories` of each row
    and stage, in µs per message, with the number of tries."""
    by_kind = {}
    for directory in directories:
        result, steps = step_figures(directory)
        by_kind.setdefault(result["server"], []).extend(s for s in steps if s["rate"] == rate)
    kinds = sorted(by_kind)
    med = statistics.median
    print(f"| µs of the node's core per message at {rate:,} msg/s (median of the tries) | "
          + " | ".join(f"{k} ({len(by_kind[k])} tries)" for k in kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    for name in ROWS:
        print(f"| {name} | " + " | ".join(f"{med([s['rows'][name] for s in by_kind[k]]):.1f}" for k in kinds) + " |")
    print("| **total (profile)** | " + " | ".join(f"**{med([s['us_per_message'] for s in by_kind[k]]):.1f}**"
                                                  for k in kinds) + " |")
    def generator(k):
        read = [10_000.0 * s["server_cpu_pct"] / s["achieved"] for s in by_kind[k] if s["server_cpu_pct"] is not None]
        return f"{med(read):.1f}" if read else "-"
    print("| total (the generator's reading of the node's CPU) | " + " | ".join(generator(k) for k in kinds) + " |")
    print()
    print(f"| by stage of a message's path, µs at {rate:,} msg/s | " + " | ".join(kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    for name, _ in STAGES:
        print(f"| {name} | " + " | ".join(f"{med([s['stages'][name] for s in by_kind[k]]):.1f}" for k in kinds)
              + " |")


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "table":
        table(int(sys.argv[2]), sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("profiles", help="a directory written by message_us.sh (quick.json, cpu-*.collapsed, launch)")
    parser.add_argument("--server", default=None, help="the p2p result's server kind (default: the first p2p result)")
    parser.add_argument("--rates", default=None, help="only these offered rates, comma-separated")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args()
    show(args.profiles, args.server, {int(r) for r in args.rates.split(",")} if args.rates else None)
    if args.json:
        result, steps = step_figures(args.profiles, args.server)
        with open(args.json, "w") as f:
            json.dump({"server": result["server"], "sustained": result["throughput_msgs_s"], "steps": steps}, f,
                      indent=1)


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # quietly, under `| head`
    main()
