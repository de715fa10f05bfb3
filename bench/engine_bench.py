"""Timings for the planning engine (`planning/engine.py`). Not a test: run it by hand and read the table.

    .venv/bin/python bench/engine_bench.py            # default repeats
    .venv/bin/python bench/engine_bench.py --repeats 9

Cases:
  (a) `calculate` on one large plan: 200 staffing lines, 3 demand lines, 8 capability requirements, 6 targets,
      10-year horizon;
  (b) `calculate` on 500 typical teams (15 lines each, 5-year horizon), then `rollup` of the 500 results;
  plus `as_dict` + `json.dumps` of the large plan's result (what a JSON view or export would do) and `compare`.
Each case runs `--repeats` times (after one warm-up run, and a `gc.collect()` before each run, with the collector
left on while timing); the table shows the fastest and the median run.
Inputs are built once, outside the timed code, from a fixed random seed.
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

from planning.engine import (  # noqa: E402 (the repository root must be on the path first)
    Assumptions,
    CapabilityRequirement,
    DemandLine,
    PayPoint,
    PlanInput,
    StaffLine,
    Target,
    as_dict,
    calculate,
    compare,
    rollup,
)

AFC_2025_26 = {
    2: (24_465, 24_465),
    3: (24_937, 26_598),
    4: (27_485, 30_162),
    5: (31_049, 37_796),
    6: (38_682, 46_580),
    7: (47_810, 54_710),
    8: (55_690, 62_682),
    9: (64_455, 74_896),
    10: (76_965, 88_682),
    11: (91_342, 105_337),
    12: (109_179, 125_637),
}
PAY = tuple(PayPoint(band=band, bottom=bottom, top=top) for band, (bottom, top) in AFC_2025_26.items())
# (slug, family, lowest band, highest band, registered, new role, complexity ceiling, capabilities, supervisors)
ROLES = (
    ("mental-health-nurse", "Nursing", 5, 8, True, False, 3, {"risk-assessment", "care-coordination"}, ()),
    ("nursing-associate", "Nursing", 4, 4, True, True, 2, {"physical-health-monitoring"}, ("mental-health-nurse",)),
    ("social-worker", "Social work", 6, 7, True, False, 3, {"care-coordination", "amhp"}, ()),
    ("occupational-therapist", "Allied health professions", 5, 7, True, False, 3, {"risk-assessment"}, ()),
    ("clinical-psychologist", "Psychological professions", 8, 9, True, False, 3, {"high-intensity-therapy"}, ()),
    (
        "mental-health-and-wellbeing-practitioner",
        "Psychological professions",
        5,
        5,
        False,
        True,
        2,
        {"low-intensity-interventions"},
        ("clinical-psychologist",),
    ),
    (
        "peer-support-worker",
        "Peer support and lived experience",
        3,
        4,
        False,
        True,
        1,
        {"peer-support"},
        ("clinical-psychologist", "mental-health-nurse"),
    ),
    ("support-time-recovery-worker", "Support roles", 3, 3, False, False, 1, set(), ("mental-health-nurse",)),
    ("mental-health-pharmacist", "Pharmacy", 8, 9, True, False, 3, {"independent-prescribing"}, ()),
    (
        "pharmacy-technician",
        "Pharmacy",
        4,
        5,
        True,
        False,
        1,
        {"medicines-optimisation"},
        ("mental-health-pharmacist",),
    ),
)
CAPABILITIES = sorted({capability for role in ROLES for capability in role[7]})


def staff_line(rng: random.Random, *, start_year: int, horizon: int) -> StaffLine:
    slug, family, low, high, registered, new_role, ceiling, capabilities, supervisors = rng.choice(ROLES)
    fte = round(rng.uniform(0.2, 6.0), 2)
    return StaffLine(
        role_slug=slug,
        role_name=slug.replace("-", " ").capitalize(),
        family=family,
        band=rng.randint(low, high),
        fte=fte,
        establishment_fte=round(fte + rng.choice((0, 0, 0.5, 1.0)), 2),
        registered=registered,
        new_role=new_role,
        attrition_pct=round(rng.uniform(0, 15), 1),
        trainees=rng.choice((0, 0, 0, 1.0, 2.0)),
        trainee_completion_year=start_year + rng.randint(1, horizon),
        recruitment_fte_per_year=rng.choice((0, 0, 0, 0.2, 0.5)),
        complexity_ceiling=ceiling,
        capabilities=frozenset(capabilities),
        supervision_hours_per_month=rng.choice((2.0, 4.0)) if supervisors else None,
        supervisor_role_slugs=frozenset(supervisors),
    )


def targets() -> tuple[Target, ...]:
    return (
        Target(key="total", label="Total FTE", metric="total_fte", comparator="at_least", value=14),
        Target(key="per-100k", label="FTE per 100k", metric="total_fte_per_100k", comparator="at_least", value=9),
        Target(
            key="caseload",
            label="Caseload",
            metric="caseload_per_clinical_fte",
            comparator="between",
            value=5,
            value_max=35,
        ),
        Target(
            key="psw",
            label="Peer workers",
            metric="min_fte",
            comparator="at_least",
            value=1,
            role_slug="peer-support-worker",
        ),
        Target(
            key="registered",
            label="Registered",
            metric="share_of_fte",
            comparator="at_least",
            value=50,
            registered=True,
        ),
        Target(key="national", label="National", metric="national_headcount", comparator="at_least", value=6500),
    )


def plan(rng: random.Random, *, lines: int, horizon: int, name: str) -> PlanInput:
    start_year = 2025
    scale = lines / 15
    return PlanInput(
        name=name,
        start_year=start_year,
        horizon_years=horizon,
        population=rng.randint(40_000, 200_000),
        assumptions=Assumptions(demand_growth_pct=2.0, pay_growth_pct=3.0),
        staff=[staff_line(rng, start_year=start_year, horizon=horizon) for _ in range(lines)],
        demand=[
            DemandLine(tier=3, caseload=round(40 * scale), hours_per_person_per_week=8.0),
            DemandLine(tier=2, caseload=round(80 * scale), hours_per_person_per_week=4.0),
            DemandLine(tier=1, caseload=round(120 * scale), hours_per_person_per_week=2.0),
        ],
        pay_points=PAY,
        capability_requirements=[
            CapabilityRequirement(capability_slug=slug, name=slug, min_fte=1.0) for slug in CAPABILITIES
        ],
        targets=targets(),
    )


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

    large = plan(rng, lines=200, horizon=10, name="Large plan")
    teams = [plan(rng, lines=15, horizon=5, name=f"Team {index}") for index in range(500)]
    team_results = [calculate(team) for team in teams]
    large_result = calculate(large)
    other_result = calculate(plan(rng, lines=200, horizon=10, name="Large scenario"))

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
