"""Tests of arms.py's verdicts: `python3 -m unittest discover -s bench/compare` (no benchmark needed)."""
import unittest

from arms import goal_rows, verdict


def goal(value, rule='median of the runs', bound=1.0, at_least=True, met=None):
    """One run's record of one goal, as bench/run writes it (`goals` in a one-run JSON)."""
    record = {'goal': 'g', 'server': 'matchbook', 'rule': rule, 'per_run': [value],
              'verdict': 'n/a' if value is None else 'met' if met is not False else 'NOT met'}
    if bound is not None:
        record.update(bound=bound, at_least=at_least)
    if met is not None:
        record['met'] = met
    return record


class VerdictTest(unittest.TestCase):
    def test_median_rule_holds_when_the_median_does_though_one_run_misses(self):
        self.assertEqual('met', verdict([goal(0.6), goal(1.0), goal(1.2)]))
        self.assertEqual('NOT met', verdict([goal(0.6), goal(0.8), goal(1.2)]))

    def test_at_most_goals_compare_the_other_way(self):
        def at_most(v):
            return goal(v, at_least=False)
        self.assertEqual('met', verdict([at_most(1.3), at_most(0.9), at_most(0.5)]))
        self.assertEqual('NOT met', verdict([at_most(1.3), at_most(1.2), at_most(0.5)]))

    def test_every_run_rule_fails_on_one_run_over_the_bound(self):
        runs = [goal(v, rule='every run', bound=1.1, at_least=False) for v in (0.4, 0.7, 1.17)]
        self.assertEqual('NOT met', verdict(runs))
        self.assertEqual('met', verdict(runs[:2]))

    def test_a_run_without_the_figure_fails_the_goal(self):
        self.assertTrue(verdict([goal(1.2), goal(None), goal(1.3)]).startswith('NOT met'))

    def test_a_broken_run_stays_in_its_arm_and_fails_the_goal(self):
        runs = [{'goals': [goal(v)]} for v in (1.2, None, 1.3)]
        rows = goal_rows([('A', runs)], ['matchbook'])
        self.assertEqual(3, len(rows[('g', 'matchbook')]['A']))
        self.assertTrue(verdict(rows[('g', 'matchbook')]['A']).startswith('NOT met'))

    def test_a_goal_without_a_figure_in_any_run_is_left_out(self):
        runs = [{'goals': [goal(None)]} for _ in range(3)]
        self.assertEqual({}, goal_rows([('A', runs)], ['matchbook']))

    def test_a_ratio_of_equal_figures_is_not_failed_by_rounding(self):
        self.assertEqual('met', verdict([goal(1.0 - 1e-12)]))

    def test_records_without_the_bound_use_each_runs_own_verdict(self):
        self.assertEqual('met', verdict([goal(0, bound=None, met=m) for m in (True, False, True)]))
        self.assertEqual('NOT met', verdict([goal(0, bound=None, met=m) for m in (True, False, False)]))
        every_run = [goal(0, rule='every run', bound=None, met=m) for m in (True, True, False)]
        self.assertEqual('NOT met', verdict(every_run))
        self.assertTrue(verdict([goal(0, bound=None, met=m) for m in (True, False)]).startswith('?'))


if __name__ == '__main__':
    unittest.main()
