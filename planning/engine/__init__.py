"""Workforce planning engine: pure calculations for one team's plan, scenario comparison and organisation roll-up.

No Django, no ORM, standard library only. Callers (views, services, exports) turn model instances into the
frozen input dataclasses (`inputs`; `planning/engine_inputs.py` is the one place that does this from the models),
call `calculate(plan)` and render the output dataclasses (`results`), or `as_dict(result)`, which is JSON-safe.
Every figure is reproducible by hand from the inputs with the equations in this docstring, which docs/engine.md
repeats with the source of every assumption.

Numbers
=======
All arithmetic is in binary floating point (`float`). Inputs may be given as `int`, `float` or `Decimal` (the
ORM's type); each numeric input field is converted with `float()` when the dataclass is built. Nothing is
rounded inside the engine. Rounding happens only at presentation: `as_dict()` rounds money to pence and hours,
FTE and percentages to 2 decimal places. Float error on these magnitudes (≤ £10⁸, ≤ 10⁶ hours) is below
10⁻⁶, far under a penny, so Decimal would add cost without changing a single displayed figure.

Units: FTE (1.0 = one full-time post), hours per week for care capacity and demand, hours per month for
supervision, £ per year for pay and cost, percentages as 0–100 (fields ending `_pct`), fractions as 0–1
(fields ending `_fraction`). Pay grades are integer ranks so that they order correctly: Agenda for Change (AfC)
bands 2–7 are 2–7, 8 = 8a, 9 = 8b, 10 = 8c, 11 = 8d, 12 = band 9; medical grades 20 resident doctor (foundation),
21 resident (core training), 22 resident (higher training), 23 specialty doctor, 24 specialist, 25 consultant,
each costed from the medical pay table it is given (a `PayPoint` per grade). Complexity tiers are 1 routine,
2 moderate, 3 complex. A role's complexity ceiling is the highest tier it may hold a caseload for.

Assumptions (each a named input with a modelling default; sources in `inputs.Assumptions` and docs/engine.md)
==============================================================================================================
    contract_hours        C  = 37.5   hours in an AfC full-time week
    productive_fraction   p  = 0.78   share of contracted time left after leave, bank holidays, sickness, training
    direct_care_fraction  d  = 0.60   share of productive time spent on caseload (direct) work
    demand_growth_pct     g  = 0      demand growth a year, compounding
    on_cost_pct           o  = 28     employer on-costs on top of salary
    supervision_fraction  s  = 0.10   share of a supervisor's productive time available to supervise others
    pay_growth_pct        w  = 0      pay award a year, compounding (0 = constant prices of the pay table)
    pay_point                 = midpoint   the salary a grade is costed at: midpoint (bottom + top) ÷ 2, or top

Equations
=========
Capacity.  Care hours a week one FTE gives:  h = C × p × d   (defaults: 37.5 × 0.78 × 0.6 = 17.55 h/week).
    A staffing line with FTE f gives  capacity = f × h  hours a week; a non-clinical line (clinical=False, for
    example administration) gives none, though it still counts in FTE, skill mix and cost.

1. Skill mix (baseline FTE; f_i is line i's FTE, F = Σ f_i).
    FTE by family and by band are sums of f_i; each share = 100 × group FTE ÷ F.
    registered_pct = 100 × Σ f_i[registered] ÷ F;   new_role_pct = 100 × Σ f_i[new role] ÷ F.
    band_5_plus_pct, band_8a_plus_pct: share of AfC FTE at band ≥ 5 and ≥ 8a (the "senior" and "very senior"
    shares of the Skills for Health reconfiguration tool), over AfC lines only (A = Σ f_i over AfC bands);
    medical_fte = F − A is its own staff group (a tool that counts doctors as "band 9" understates their cost).
    registered_to_unregistered_ratio = Σ f[registered] ÷ Σ f[not registered] (the Calderdale skill-mix ratio).
    mean band (the skill-mix index, FTE-weighted mean rank over AfC lines):  b̄ = Σ f_i × rank_i ÷ A.  Labelled "5"
    when b̄ is a whole rank, otherwise "between 5 and 6" (floor and ceiling codes, e.g. "between 7 and 8a"); also
    given as the nearest band code (b̄ rounded half up). Shares and the mean are None when F (A for the band
    figures) = 0. Sections 1, 2 and 4 describe the baseline (FTE in post); section 5 projects FTE, and targets (6)
    are judged at both ends.

2. Capability coverage.  For each required capability k:  available_k = Σ f_i over lines whose role has k.
    met when available_k ≥ min_fte_k (tolerance 10⁻⁹);  short_by_k = max(0, min_fte_k − available_k).

3. Matching experience to complexity.  Demand hours a week in tier t:  D_t = Σ caseload × hours per person a week.
    Allocation (greedy, complex tier first):
        for t in (3 complex, 2 moderate, 1 routine):
            for each line able to serve t (ceiling ≥ t), lowest ceiling first (then lowest band, then input order):
                take = min(line's remaining capacity, D_t still unmet);  give it to tier t.
    So complex work goes only to ceiling-3 lines; moderate work goes to ceiling-2 lines before ceiling-3 lines;
    routine work goes to ceiling-1 lines first, then ceiling-2, then ceiling-3.
    Per tier:  allocated_t + unmet_t = D_t;  met_pct_t = 100 × allocated_t ÷ D_t (None when D_t = 0);
               gap_fte_t = unmet_t ÷ h.
    Totals add the tiers; idle hours = capacity not allocated.
    Skilled hours on routine work = routine hours given to lines with ceiling > 1 (work a routine-ceiling role could
    do); complex-capable hours on routine = the part from ceiling-3 lines.
    Why the greedy is right: the sets of lines able to serve each tier are nested (complex ⊂ moderate ⊂ routine),
    so serving the most restricted tier first maximises the total met and, lexicographically, complex first then
    moderate: allocated_3 = min(D_3, K_3) where K_c is the capacity of lines with ceiling exactly c, and the total
    met equals the max-flow bound min(D_1+D_2+D_3, D_1+D_2+K_3, D_1+K_2+K_3, K_1+K_2+K_3) (tested). Consequences worth
    knowing: complex unmet depends only on complex-capable capacity (adding routine or moderate roles cannot change
    it); adding any line never increases unmet hours in any tier. Within a tier the lowest ceiling goes first so
    that senior staff stay free for the tiers only they can serve.

4. Supervision (hours a month).  Need of supervised role r (lines with supervision_hours_per_month set):
        need_r = Σ f_i × supervision_hours_per_month_i over r's lines.
    Capacity (pool) of supervising role s, if any line of s is in the team with FTE > 0 (F_s = all of s's FTE):
        pool_s = F_s × C × 52/12 × p × s_frac    (52/12 weeks a month; e.g. 1 FTE: 37.5 × 4.333 × 0.78 × 0.1 = 12.675).
    A pool is shared across the roles that name s as supervisor, in proportion to their need:
        share_{s→r} = pool_s × need_r ÷ Σ_{r' supervised by s} need_r';   capacity_r = Σ_s share_{s→r}.
    covered_r = min(need_r, capacity_r);  shortfall_r = need_r − covered_r.  A role none of whose supervisor roles is
    in the team has capacity 0 and its whole need counts as unsupervised. Overall: need = Σ need_r, capacity = Σ
    pools that supervise someone, covered = Σ covered_r, shortfall = Σ shortfall_r, spare = capacity − covered.

5. Projection, years y_k = start_year + k for k = 0 … horizon (k = 0 is the baseline, the inputs as given).
    Per line, with attrition a (fraction), recruitment R and trainees T completing in year Y_T:
        f_{k+1} = f_k × (1 − a) + R + (T if Y_T = y_{k+1} else 0).
    Trainees whose completion year is at or before the start year are assumed to be in the FTE in post already;
    those completing after the horizon, or with no completion year, do not join (all three are in `warnings`).
    Demand:  D_t(k) = D_t(0) × (1 + g)^k  (caseload grows in step).  Each year re-runs the allocation in 3.
    Per year: demand_met_pct = 100 × Σ allocated ÷ Σ D (None when there is no demand); gap_fte = Σ unmet ÷ h
    (0 when nothing is unmet); vacancies = Σ_i max(0, E_i − f_{i,k}) per line (a surplus in one line does not
    fill a vacancy in another), where E_i is the funded establishment (FTE in post when not given);
    cost = Σ_i f_{i,k} × M_{grade_i} × (1 + o) × (1 + w)^k, with M the grade's midpoint (bottom + top) ÷ 2, or
    its top when pay_point = "top". AfC bands and medical grades each use their own pay point. A pay point's `note`
    (a figure not confirmed, or carried from an earlier year) is listed in `pay_notes` for the grades in the team.
    A line whose grade has no pay point is left out of the cost and its FTE is reported as `uncosted_fte`.
    cost_over_horizon = Σ cost for k = 0 … horizon − 1: the horizon's years, each costed at its opening FTE.

6. Targets (evaluated on the baseline and again on the last projected year). Metrics:
        total_fte                    F
        total_fte_per_100k           F ÷ population × 100,000             (not applicable without a population)
        caseload_per_clinical_fte    Σ caseload ÷ Σ f[clinical]           (not applicable with no clinical FTE;
                                     at the horizon the caseload has grown by (1 + g)^horizon)
        min_fte                      Σ f over lines in the target's scope (role, family, capability: a line
                                     counts when it matches every scope field given)
        share_of_fte                 100 × Σ f[scope] ÷ F
        min_fte_per_population       F, judged against value × population ÷ reference_population (a minimum
                                     for a reference population, scaled to the team's; not applicable without
                                     a population); the result's `required` is the scaled minimum
        national_headcount           never applicable to one team: a national figure, shown as context
    A target's kind is current, historical (its date has passed) or context (for example a funding entitlement):
    only current targets are judged; the others get status "historical" or "context", met None, with the measured
    value where there is one.
    Comparators: at_least (actual ≥ value), at_most (actual ≤ value), between (value ≤ actual ≤ value_max), each with
    a tolerance of 10⁻⁹. Anything unknown or impossible gives status "not applicable" and a reason, never an error.

7. Comparison  `compare(a, b)`: each figure as (a, b, diff = b − a): FTE by role at the baseline and at the end of the
    horizon, total FTE, cost (baseline year, last year, over the horizon), demand met % and gap FTE (baseline and
    last year), unmet hours by tier, skilled hours on routine work, each target's status in a and in b, and the
    number of targets met. `warnings` says when the plans cover different years or use different assumptions.
    Roll-up  `rollup(results)`: sums over teams' baselines of FTE, establishment, vacancies, cost, gap FTE (staff are
    not shared between teams, so gaps add), unmet hours by tier and skilled hours on routine work; demand met % and
    registered % recomputed from the sums; skill mix by family. `by_year` sums each calendar year over the teams
    whose plans cover it (`teams_counted` says how many).

Modules
=======
    constants      tiers, band ranks and codes, target metrics, comparators and statuses
    inputs         the frozen input dataclasses: Assumptions, StaffLine, DemandLine, PayPoint,
                   CapabilityRequirement, Target, PlanInput
    results        the output dataclasses: PlanResult and its parts, Comparison, Rollup
    formulas       small shared calculations: percentages, h, supervision hours per FTE, cost, growth, band labels
    skill_mix      section 1 (and FTE by role)
    capabilities   section 2
    allocation     section 3
    supervision    section 4
    projection     section 5
    targets        section 6
    calculation    calculate(plan): sections 1–6 for one plan, and the warnings about its inputs
    aggregate      section 7: compare(a, b) and rollup(results)
    serialise      as_dict(result)
"""

from planning.engine.aggregate import compare, difference, rollup, targets_met_count
from planning.engine.allocation import allocate
from planning.engine.calculation import calculate
from planning.engine.constants import (
    AT_LEAST,
    AT_MOST,
    BAND_5,
    BAND_8A,
    BAND_CODES,
    BETWEEN,
    COMPARATORS,
    COMPLEX,
    DEMAND_FROM_POPULATION,
    DEMAND_OWN,
    ENGINE_VERSION,
    GROUP_MEDICAL,
    GROUP_NON_CLINICAL,
    GROUP_REGISTERED,
    GROUP_UNREGISTERED,
    METRIC_CASELOAD_PER_CLINICAL_FTE,
    METRIC_FTE_PER_100K,
    METRIC_MIN_FTE,
    METRIC_MIN_FTE_PER_POPULATION,
    METRIC_NATIONAL_HEADCOUNT,
    METRIC_SHARE_OF_FTE,
    METRIC_TOTAL_FTE,
    METRICS,
    MODERATE,
    NEED_COVER,
    NEED_DEMAND,
    PAY_MIDPOINT,
    PAY_TOP,
    PER_100K,
    ROUTINE,
    STAFF_GROUPS,
    STATUS_CONTEXT,
    STATUS_HISTORICAL,
    STATUS_MET,
    STATUS_NOT_APPLICABLE,
    STATUS_NOT_MET,
    TIER_LABELS,
    TIERS_HARDEST_FIRST,
    TOLERANCE,
    WEEKS_PER_MONTH,
    band_code,
    experience_rank,
    is_afc,
    staff_group,
)
from planning.engine.formulas import (
    annual_cost,
    care_hours_per_fte_per_week,
    growth_factor,
    mean_band_label,
    nearest_band_code,
    percentage,
    productive_hours_per_fte_per_week,
    supervision_hours_per_supervisor_fte_per_month,
)
from planning.engine.inputs import (
    Assumptions,
    CapabilityRequirement,
    CoverRule,
    DemandLine,
    DemandRate,
    PayPoint,
    PlanInput,
    StaffLine,
    Target,
)
from planning.engine.results import (
    Allocation,
    CapabilityCoverage,
    Comparison,
    CoverResult,
    DemandUsed,
    Difference,
    FteShare,
    GroupDifference,
    Headlines,
    HeadlineYear,
    LineAllocation,
    LineYear,
    PlanResult,
    RoleDifference,
    Rollup,
    RollupYear,
    SkillMix,
    SupervisedRole,
    Supervision,
    SupervisorPool,
    TargetComparison,
    TargetResult,
    TargetYear,
    TierResult,
    YearResult,
)
from planning.engine.serialise import as_dict

__all__ = [
    "AT_LEAST",
    "AT_MOST",
    "BAND_5",
    "BAND_8A",
    "BAND_CODES",
    "BETWEEN",
    "COMPARATORS",
    "COMPLEX",
    "DEMAND_FROM_POPULATION",
    "DEMAND_OWN",
    "ENGINE_VERSION",
    "GROUP_MEDICAL",
    "GROUP_NON_CLINICAL",
    "GROUP_REGISTERED",
    "GROUP_UNREGISTERED",
    "METRICS",
    "METRIC_CASELOAD_PER_CLINICAL_FTE",
    "METRIC_FTE_PER_100K",
    "METRIC_MIN_FTE",
    "METRIC_MIN_FTE_PER_POPULATION",
    "METRIC_NATIONAL_HEADCOUNT",
    "METRIC_SHARE_OF_FTE",
    "METRIC_TOTAL_FTE",
    "MODERATE",
    "NEED_COVER",
    "NEED_DEMAND",
    "PAY_MIDPOINT",
    "PAY_TOP",
    "PER_100K",
    "ROUTINE",
    "STAFF_GROUPS",
    "STATUS_CONTEXT",
    "STATUS_HISTORICAL",
    "STATUS_MET",
    "STATUS_NOT_APPLICABLE",
    "STATUS_NOT_MET",
    "TIERS_HARDEST_FIRST",
    "TIER_LABELS",
    "TOLERANCE",
    "WEEKS_PER_MONTH",
    "Allocation",
    "Assumptions",
    "CapabilityCoverage",
    "CapabilityRequirement",
    "Comparison",
    "CoverResult",
    "CoverRule",
    "DemandLine",
    "DemandRate",
    "DemandUsed",
    "Difference",
    "FteShare",
    "GroupDifference",
    "HeadlineYear",
    "Headlines",
    "LineAllocation",
    "LineYear",
    "PayPoint",
    "PlanInput",
    "PlanResult",
    "RoleDifference",
    "Rollup",
    "RollupYear",
    "SkillMix",
    "StaffLine",
    "SupervisedRole",
    "Supervision",
    "SupervisorPool",
    "Target",
    "TargetComparison",
    "TargetResult",
    "TargetYear",
    "TierResult",
    "YearResult",
    "allocate",
    "annual_cost",
    "as_dict",
    "band_code",
    "is_afc",
    "calculate",
    "care_hours_per_fte_per_week",
    "compare",
    "difference",
    "experience_rank",
    "growth_factor",
    "mean_band_label",
    "nearest_band_code",
    "percentage",
    "productive_hours_per_fte_per_week",
    "rollup",
    "staff_group",
    "supervision_hours_per_supervisor_fte_per_month",
    "targets_met_count",
]
