"""Timings for the planning engine (the `planning/engine/` package). Not a test: run it by hand and read the table.

    .venv/bin/python bench/engine_bench.py            # default repeats
    .venv/bin/python bench/engine_bench.py --repeats 9

Cases:
  (a) `calculate` on one large plan: 200 staffing lines (nurses, social workers and psychologists declaring
      capabilities that need further training; peer support workers, practitioners and others needing
      supervision), 3 demand lines, 11 capability requirements, 6 targets, a minimum cover rule, 10-year horizon:
      every figure (allocation, capability coverage, supervision flow, need and cover, targets, each line's
      figures) worked out for each of the 11 years;
  (b) `calculate` on 500 typical teams (15 lines each, 5-year horizon, built the same way), then `rollup` of the
      500 results;
  plus `as_dict` + `json.dumps` of the large plan's result (what results.json does) and `compare`.
Each case runs `--repeats` times (after one warm-up run, and a `gc.collect()` before each run, with the collector
left on while timing); the table shows the fastest and the median run.
Inputs are built once, outside the timed code, from a fixed random seed, by `tests/engine_builders.random_plan` (the
builders the engine tests use).
"""

import argparse
import gc
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The repository root must be on the path first; the builders are the engine tests' own.
from planning.engine import as_dict, calculate, compare, rollup  # noqa: E402
from tests.engine_builders import random_plan  # noqa: E402


def timings(run: Callable[[], object], *, repeats: int) -> list[float]:
    run()  # warm-up
    results = []
    for _ in range(repeats):
        gc.collect()  # start each run from a clean heap; the collector stays on while timing, as in real use
        started = time.perf_counter()
        run()
        results.append(time.perf_counter() - started)
    return results


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:,.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per case (default 7)")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    large = random_plan(rng, lines=200, horizon=10, name="Large plan")
    teams = [random_plan(rng, lines=15, horizon=5, name=f"Team {index}") for index in range(500)]
    team_results = [calculate(team) for team in teams]
    large_result = calculate(large)
    other_result = calculate(random_plan(rng, lines=200, horizon=10, name="Large scenario"))

    cases = [
        ("(a) calculate: 200 lines, 10-year horizon", lambda: calculate(large)),
        ("    as_dict + json.dumps of that result", lambda: json.dumps(as_dict(large_result))),
        ("    compare two 200-line results", lambda: compare(large_result, other_result)),
        ("(b) calculate 500 teams of 15 lines (5 years)", lambda: [calculate(team) for team in teams]),
        ("    rollup of the 500 team results", lambda: rollup(team_results)),
    ]
    print(f"Python {platform.python_version()} on {platform.machine()}, {args.repeats} timed runs per case\n")
    width = max(len(label) for label, _ in cases)
    print(f"{'case':<{width}}  {'min':>12}  {'median':>12}")
    print(f"{'-' * width}  {'-' * 12}  {'-' * 12}")
    for label, run in cases:
        runs = timings(run, repeats=args.repeats)
        print(f"{label:<{width}}  {milliseconds(min(runs)):>12}  {milliseconds(statistics.median(runs)):>12}")
    per_team = statistics.median(timings(lambda: calculate(teams[0]), repeats=args.repeats * 10))
    print(f"\nOne 15-line team (median of {args.repeats * 10}): {milliseconds(per_team)}")


if __name__ == "__main__":
    main()
