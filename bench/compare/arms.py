"""Compares arms of an A/B experiment made of single benchmark runs (bench/README.md, "Two arms").

An arm is a set of JSON files written by `bench/run` (one run each, `--repeat 1`) with the same settings; the arms
alternate in time so that the machine's drift falls on both. For every goal of Goals.java and for the main figures,
this prints each run's value and the arm's median, as Markdown tables, and each arm's verdict on each goal by the
same rule as `--repeat 3` (a goal counts when it holds in the median of the runs; the slow goal in every run; a run
without the figure fails it).

    python3 bench/compare/arms.py ZGC='/tmp/ab/A-*.json' G1='/tmp/ab/B-*.json' [--servers matchbook,matchbook-tiered]

Arms are given as NAME=GLOB (quoted, so that the shell leaves the glob alone); files are taken in name order.
`--save RECORD` also writes what the tables need (each run's arm, date, command, flags, summary, ratios and goals,
in the order the runs were made) into one small JSON file to commit beside the write-up; `--record RECORD` prints the
same tables again from that file alone:

    python3 bench/compare/arms.py ZGC='/tmp/ab/A-*.json' G1='/tmp/ab/B-*.json' --save bench/results/x-ab.json
    python3 bench/compare/arms.py --record bench/results/x-ab.json
"""
import argparse
import glob
import json
import statistics
import sys

# (scenario, figure) pairs shown besides the goals: what the goals are made of, and what explains them.
FIGURES = [
    ('p2p', 'throughput_msgs_s'), ('p2p', 'p50_ms'), ('p2p', 'p99_ms'),
    ('p2p', 'server_cpu_pct'),  # at the fixed rate (5,000 msg/s in a quick run), where p50 and p99 are measured
    ('p2p', 'server_cpu_pct_at_throughput'),
    ('idle', 'bytes_per_conn'), ('broadcast', 'max_clients_p95_500ms'),
    ('storm', 'reconnect_all_s'), ('storm', 'server_ready_s'), ('storm', 'reconnect_p50_s'), ('storm', 'lost'),
    ('slow', 'healthy_p99_ratio'),
]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value):
    if value is None:
        return '-'
    return f'{value:,.0f}' if abs(value) >= 1000 else f'{value:.3g}'


def load(spec):
    name, sep, pattern = spec.partition('=')
    if not sep or not name:
        sys.exit(f'arms.py: {spec!r} has no arm name: give NAME=GLOB, e.g. A=\'/tmp/ab/A-*.json\'')
    paths = sorted(glob.glob(pattern))
    if not paths:
        sys.exit(f'arms.py: {spec!r} names no files')
    runs = []
    for path in paths:
        with open(path) as f:
            run = json.load(f)
        if 'runs' in run and 'arms' in run:
            sys.exit(f'arms.py: {path} is a record written by --save; read it with --record')
        if 'goals' not in run or 'summary' not in run:
            sys.exit(f'arms.py: {path} is not a results file of bench/run (no goals or summary)')
        if run.get('repeat', 1) != 1:
            sys.exit(f'arms.py: {path} holds {run["repeat"]} runs; each file must be one run')
        runs.append(run)
    return name, runs


# What a record keeps of each run: enough for the tables and to tell how the run was made, not its per-step results.
KEPT = ('date', 'command', 'jvm_server_flags', 'matchbook_flags', 'summary', 'ratios', 'goals')


def save(arms, path, about):
    runs = [dict({'arm': name}, **{k: run.get(k) for k in KEPT}) for name, arm_runs in arms for run in arm_runs]
    runs.sort(key=lambda run: run['date'] or '')
    with open(path, 'w') as f:
        json.dump({'about': about, 'arms': [name for name, _ in arms], 'runs': runs}, f, separators=(',', ':'))


def load_record(path):
    try:
        with open(path) as f:
            record = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f'arms.py: cannot read the record {path}: {e}')
    if 'arms' not in record or 'runs' not in record:
        sys.exit(f'arms.py: {path} is not a record written by --save (give a results file as NAME=GLOB instead)')
    return [(name, [run for run in record['runs'] if run['arm'] == name]) for name in record['arms']]


def goal_rows(arms, servers):
    """{(goal, server): {arm: [that goal's record in each run of the arm]}}, runs in file order.

    A run whose scenario broke has the goal as "n/a" with no figure; it is kept (and fails the goal) whenever another
    run has a figure for it. Goals with no figure in any run (a server not in these runs, a store the goal is not set
    for) are left out."""
    rows = {}
    for name, runs in arms:
        for run in runs:
            for goal in run['goals']:
                if goal['server'] in servers:
                    rows.setdefault((goal['goal'], goal['server']), {}).setdefault(name, []).append(goal)
    return {key: by_arm for key, by_arm in rows.items()
            if any(value(g) is not None for goals in by_arm.values() for g in goals)}


def value(goal):
    return goal['per_run'][0] if goal['per_run'] else None


def verdict(goals):
    """One arm's verdict on one goal from its one-run records, by Goals.java's rule.

    Newer records carry the goal's `bound` and `at_least`; older ones only each run's own verdict (`met`), from which
    the median rule still follows for an odd number of runs (the median holds exactly when most runs do)."""
    values = [value(g) for g in goals]
    if not goals:
        return '-'
    if any(v is None for v in values):
        return 'NOT met (a run without the figure)'
    every_run = goals[0]['rule'] == 'every run'
    if 'bound' in goals[0]:
        bound, at_least = goals[0]['bound'], goals[0]['at_least']

        def holds(v):
            # the generator's tolerance: a ratio of two equal figures must not fail on a rounding error
            return v >= bound - 1e-9 if at_least else v <= bound + 1e-9
        ok = all(holds(v) for v in values) if every_run else holds(statistics.median(values))
    elif every_run:
        ok = all(g['met'] for g in goals)
    elif len(goals) % 2 == 1:
        ok = sum(g['met'] for g in goals) > len(goals) // 2
    else:
        return '? (an even number of runs, records without the bound)'
    return 'met' if ok else 'NOT met'


def figure_rows(arms, servers):
    rows = {}
    for scenario, figure in FIGURES:
        for server in servers:
            for name, runs in arms:
                for run in runs:
                    for summary in run['summary']:
                        if (summary['scenario'], summary['server']) == (scenario, server) \
                                and figure in summary['figures']:
                            rows.setdefault((scenario, figure, server), {}).setdefault(name, []).append(
                                summary['figures'][figure]['median'])
    return rows


def table(title, rows, arms, verdicts=None):
    """rows: {key: {arm: [values]}}; verdicts, if given: {key: {arm: text}}, one more column per arm."""
    names = [name for name, _ in arms]
    print(f'\n{title}\n')
    header = ['what', 'server'] + [f'{n}: runs' for n in names] + [f'{n}: median' for n in names]
    if verdicts is not None:
        header += [f'{n}: verdict' for n in names]
    print('| ' + ' | '.join(header) + ' |')
    print('|' + '---|' * len(header))
    for key, by_arm in rows.items():
        what = ' '.join(key[:-1])
        runs = [', '.join(fmt(v) for v in by_arm.get(n, [])) for n in names]
        medians = [fmt(median(by_arm.get(n, []))) for n in names]
        judged = [verdicts[key].get(n, '-') for n in names] if verdicts is not None else []
        print('| ' + ' | '.join([what, key[-1]] + runs + medians + judged) + ' |')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('arms', nargs='*', help='NAME=GLOB of one-run JSON files')
    parser.add_argument('--servers', default='matchbook,matchbook-tiered',
                        help='servers whose goals are shown (figures also show the peers)')
    parser.add_argument('--save', metavar='RECORD', help='also write the runs\' summaries into this JSON file')
    parser.add_argument('--about', default='', help='one line on the experiment, kept in the saved record')
    parser.add_argument('--record', metavar='RECORD', help='read the arms from a file written by --save')
    args = parser.parse_args()
    if bool(args.record) == bool(args.arms):
        parser.error('give NAME=GLOB arms or --record RECORD (one of the two)')
    arms = load_record(args.record) if args.record else [load(spec) for spec in args.arms]
    if args.save:
        save(arms, args.save, args.about)
    servers = args.servers.split(',')
    print('runs per arm: ' + ', '.join(f'{name} {len(runs)}' for name, runs in arms))
    goals = goal_rows(arms, servers)
    table('Goals: each run\'s figure (a ratio to a peer, or a count), the median, and the verdict by the rule of '
          '`--repeat 3`',
          {key: {arm: [value(g) for g in runs] for arm, runs in by_arm.items()} for key, by_arm in goals.items()}, arms,
          {key: {arm: verdict(runs) for arm, runs in by_arm.items()} for key, by_arm in goals.items()})
    peers = servers + [s for s in ('socketio', 'ws', 'netty') if s not in servers]
    table('Figures: each run\'s value, then the median', figure_rows(arms, peers), arms)


if __name__ == '__main__':
    main()
