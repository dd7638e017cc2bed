"""Tests of syscalls.py: `python3 -m unittest discover -s bench/profiles` (no benchmark, no perf needed)."""
import contextlib
import io
import json
import os
import tempfile
import unittest

from syscalls import read_counts, run_figures, table

LAUNCH = 1_000_000.0
PERF_START = LAUNCH + 0.5   # perf began half a second after the node launched


def perf_lines(start_s, end_s, per_interval):
    """perf stat -I 250 -x, lines for the intervals ending at start_s+0.25 ... end_s (s since perf began), each
    interval counting `per_interval` ({event: count})."""
    lines = ["# started on Mon Dec  7 18:00:00 2026", ""]
    t = start_s
    while t < end_s - 1e-9:
        t += 0.25
        for event, count in per_interval.items():
            lines.append(f"{t:.9f},{count},,{event},250000000,100.00,,")
    return lines


def write_run(directory, server, steps, fixed, lines):
    with open(os.path.join(directory, "quick.json"), "w") as f:
        json.dump({"results": [{"scenario": "p2p", "server": server, "steps": steps, "p99_ms": 3.0, **fixed}]}, f)
    with open(os.path.join(directory, "perf.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(directory, "launch"), "w") as f:
        f.write(f"{LAUNCH:.3f}\n")
    with open(os.path.join(directory, "perf-start"), "w") as f:
        f.write(f"{PERF_START:.9f}\n")


# 10,000 msg/s over a 0.25 s interval is 2,500 messages: two reads, two writes and one epoll_ctl each, 500 futex calls,
# 250 calls of no named group and 1,000 switches.
STEADY = {"raw_syscalls:sys_enter": 2500 * 5 + 500 + 250, "syscalls:sys_enter_read": 2500 * 2,
          "syscalls:sys_enter_sendto": 2500, "syscalls:sys_enter_write": 2500,
          "syscalls:sys_enter_epoll_ctl": 2500, "syscalls:sys_enter_futex": 500, "sched:sched_switch": 1000}


class ReadCountsTest(unittest.TestCase):
    def test_groups_calls_and_drops_an_interval_with_a_count_perf_could_not_read(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "perf.csv")
            with open(path, "w") as f:
                f.write("# started on x\n\n"
                        "0.500,<not counted>,,syscalls:sys_enter_futex,0,0.00,,\n"
                        "0.500,12,,syscalls:sys_enter_read,1,100.00,,\n"
                        "0.750,10,,syscalls:sys_enter_read,1,100.00,,\n"
                        "0.750,4,,syscalls:sys_enter_recvmsg,1,100.00,,\n"
                        "0.750,3,,syscalls:sys_enter_futex,1,100.00,,\n"
                        "0.750,7,,syscalls:sys_enter_unknown_call,1,100.00,,\n"
                        "0.750,30,,raw_syscalls:sys_enter,1,100.00,,\n")
            self.assertEqual({0.75: {"reads": 14, "futex": 3, "all": 30}}, read_counts(path))


class RunFiguresTest(unittest.TestCase):
    def test_counts_per_message_over_the_intervals_inside_each_step(self):
        with tempfile.TemporaryDirectory() as d:
            # Uptime is perf's time + 0.5, so the steady intervals span uptime 10.0 ... 13.25 and the step 10.1 ... 13.1
            # (its 30,000 messages at 10,000 msg/s): the first (10.0-10.25) begins before it and the last (13.0-13.25)
            # ends after it. Read without the offset, the step would take in busy intervals after perf time 12.75.
            lines = perf_lines(0.0, 9.5, {"raw_syscalls:sys_enter": 99999, "syscalls:sys_enter_read": 99999})
            lines += perf_lines(9.5, 12.75, STEADY)[2:]
            lines += perf_lines(12.75, 14.0, {"raw_syscalls:sys_enter": 99999, "syscalls:sys_enter_read": 99999})[2:]
            write_run(d, "matchbook", [{"offered_msgs_s": 10000, "achieved_msgs_s": 10000, "from_uptime_s": 10.1,
                                        "sent": 30000, "p99_ms": 4.0}], {}, lines)
            server, rows = run_figures(d)
        self.assertEqual("matchbook", server)
        [row] = rows
        self.assertEqual((10000, "step", False), (row["rate"], row["phase"], row["failed"]))
        self.assertAlmostEqual(2.75, row["seconds"])   # 10.25 ... 13.0 of uptime, wholly inside 10.1 ... 13.1
        self.assertAlmostEqual(2.0, row["reads"])
        self.assertAlmostEqual(2.0, row["writes"])     # write and sendto, one each
        self.assertAlmostEqual(1.0, row["epoll_ctl"])
        self.assertAlmostEqual(0.2, row["futex"])
        self.assertAlmostEqual(0.1, row["other"])
        self.assertAlmostEqual(5.3, row["syscalls"])
        self.assertAlmostEqual(0.4, row["switches"])

    def test_the_fixed_phase_comes_first_at_its_rate(self):
        with tempfile.TemporaryDirectory() as d:
            half = {k: v // 2 for k, v in STEADY.items()}   # 5,000 msg/s: the same calls per message
            write_run(d, "ws", [], {"fixed_from_s": 2.0, "fixed_to_s": 6.0, "fixed_rate_msgs_s": 5000},
                      perf_lines(0.0, 6.0, half))
            _, rows = run_figures(d)
        [row] = rows
        self.assertEqual((5000, "fixed"), (row["rate"], row["phase"]))
        self.assertAlmostEqual(4.0, row["seconds"])   # the phase's 2.0 ... 6.0; the intervals run to uptime 6.5
        self.assertAlmostEqual(2.0, row["reads"])
        self.assertAlmostEqual(5.3, row["syscalls"])

    def test_a_step_lasts_its_messages_at_its_rate_and_an_uncounted_family_is_none(self):
        with tempfile.TemporaryDirectory() as d:
            # A full-size step: 100,000 messages at 10,000 msg/s is 10 s, from uptime 1.0: the intervals from 1.0 to
            # 11.0 count, not only its first 3 s.
            write_run(d, "ws", [{"offered_msgs_s": 10000, "achieved_msgs_s": 10000, "sent": 100000,
                                 "from_uptime_s": 1.0, "p99_ms": 1.0}], {}, perf_lines(0.0, 12.0, STEADY))
            with open(os.path.join(d, "events"), "w") as f:
                f.write("raw_syscalls:sys_enter,sched:sched_switch,syscalls:sys_enter_read,syscalls:sys_enter_write\n")
            [row] = run_figures(d)[1]
        self.assertAlmostEqual(10.0, row["seconds"])
        self.assertAlmostEqual(2.0, row["reads"])
        self.assertIsNone(row["futex"])       # not asked for: not a zero
        self.assertIsNone(row["epoll_ctl"])

    def test_a_step_no_interval_lies_inside_is_left_out(self):
        with tempfile.TemporaryDirectory() as d:
            write_run(d, "ws", [{"offered_msgs_s": 10000, "from_uptime_s": 50.0, "p99_ms": 1.0}], {},
                      perf_lines(0.0, 5.0, STEADY))
            self.assertEqual([], run_figures(d)[1])


class TableTest(unittest.TestCase):
    def test_medians_and_ranges_per_kind_leaving_out_failed_tries(self):
        with tempfile.TemporaryDirectory() as root:
            dirs = []
            runs = [("matchbook", 500, False), ("matchbook", 600, False), ("matchbook", 2000, False),
                    ("matchbook", 9000, True), ("ws", 0, False)]
            for n, (server, futex, failed) in enumerate(runs):
                d = os.path.join(root, f"{n}-{server}")
                os.mkdir(d)
                counts = dict(STEADY, **{"syscalls:sys_enter_futex": futex})
                write_run(d, server, [{"offered_msgs_s": 10000, "from_uptime_s": 1.0, "p99_ms": 1.0,
                                       "failed": failed}], {}, perf_lines(0.0, 4.0, counts))
                dirs.append(d)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                table(10000, dirs)
        lines = out.getvalue().splitlines()
        self.assertIn("matchbook (3)", lines[0])   # the failed try is not one of them
        self.assertIn("ws (1)", lines[0])
        # 500, 600 and 2,000 calls over 2,500 messages: the median, not the mean (0.41), and no 3.60 from the failure.
        self.assertEqual("| futex | 0.24 (0.20-0.80) | 0.00 |", next(l for l in lines if l.startswith("| futex")))


if __name__ == "__main__":
    unittest.main()
