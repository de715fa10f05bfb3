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
2 moderate, 3 complex. A line's complexity ceiling is the highest tier it may hold a caseload for: the role's ceiling
from the band at which the role holds it in full (one tier lower below that band, never below routine), or the
line's own override; `planning/engine_inputs.py` resolves it, and the engine takes it as given.

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
    Productive hours a week one FTE gives (what a rota of cover draws on):  P = C × p  (defaults: 29.25 h/week).
    A staffing line with FTE f gives  capacity = f × h  hours a week; a non-clinical line (clinical=False, for
    example administration) gives none, though it still counts in FTE, skill mix and cost.
    Every figure of sections 2–5 is worked out for every year k = 0 … horizon of the projection (section 6), from
    that year's FTE f_{i,k}; the plan-level `capability_coverage`, `allocation` and `supervision` are year 0's.

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
    figures) = 0.

2. Capability coverage (every year).  A line holds its role's core capabilities with all its FTE; a capability that
    needs further training or approval (prescribing, approved clinician, AMHP…) only with the FTE it declares, d_i.
    Declarations are projected with the line:  d_{i,0} = min(declared_i, f_{i,0});
        d_{i,k+1} = min(d_{i,k} × (1 − a_i), f_{i,k+1})   (leavers take it with them in proportion; recruits and
    qualifying trainees do not bring it). A declaration above the line's FTE is capped and warned about.
    For each required capability k:  available_k = Σ_i [ f_i if k is core for line i, else d_i[k] ];
    met when available_k ≥ min_fte_k (tolerance 10⁻⁹);  short_by_k = max(0, min_fte_k − available_k).

3. Demand and matching experience to complexity.
    Demand basis "own": the plan's demand lines. Basis "population", with a population and the team type's reference
    rates: one demand line per rate,  caseload_t = population × caseload_per_100k_t ÷ 100,000  (not rounded), hours
    per person a week as the rate. Basis "population" without a population or without rates: the plan's own lines,
    with a warning. The result says which basis was used and lists each demand line used (with its rate per
    100,000 and source when derived).
    Demand hours a week in tier t:  D_t = Σ caseload × hours per person a week.
    Experience rank (for ordering only): an AfC band's rank (2–12); a medical grade by its stage of training and
    experience, a modelling default: foundation 5, core training 6, higher training 7, specialty doctor 8,
    specialist 10, consultant 12.
    Allocation, hardest tier first:
        for t in (3 complex, 2 moderate, 1 routine):
            the lines able to serve t (ceiling ≥ t) form groups of equal (ceiling, experience rank), taken in order:
                complex: the most experienced first (descending rank);
                moderate and routine: the least experienced first (ascending ceiling, then ascending rank);
            for each group G, with U = D_t still unmet and A_G = Σ remaining capacity of G's lines:
                if A_G ≤ U every line of G gives all its remaining capacity to t;
                otherwise each line i of G gives remaining_i × U ÷ A_G (a share in proportion to its remaining).
    So complex work goes to the most experienced complex-capable staff, and moderate and routine work to the least
    experienced staff able to do it, keeping senior staff free; and the result never depends on the order of the
    lines (a copied or reordered plan gives identical per-line figures).
    Per tier:  allocated_t + unmet_t = D_t;  met_pct_t = 100 × allocated_t ÷ D_t (None when D_t = 0);
               gap_fte_t = unmet_t ÷ h.
    Totals add the tiers; idle hours = capacity not allocated.  complex_capacity_hours = K_3 (below);
    complex_met_pct = met_pct_3.
    Skilled hours on routine work = routine hours given to lines with ceiling > 1 (work a routine-ceiling role could
    do); complex-capable hours on routine = the part from ceiling-3 lines.
    Why the allocation is right: the sets of lines able to serve each tier are nested (complex ⊂ moderate ⊂ routine),
    so serving the most restricted tier first maximises the total met and, lexicographically, complex first then
    moderate, whatever the order within a tier: allocated_3 = min(D_3, K_3) where K_c is the capacity of lines with
    ceiling exactly c, and the total met equals the max-flow bound min(D_1+D_2+D_3, D_1+D_2+K_3, D_1+K_2+K_3,
    K_1+K_2+K_3) (tested). Consequences worth knowing: complex unmet depends only on complex-capable capacity (adding
    routine or moderate roles cannot change it, and regrading or removing senior staff reduces K_3); adding any line
    never increases unmet hours in any tier.

4. Need, cover, gap and surplus (every year k, FTE).
    demand_need_fte = D_k ÷ h   (D_k = Σ_t D_t in year k);
    cover_need_fte = cover hours a week ÷ P, with cover hours a week = staff on shift × shifts a day × hours a
        shift × 7 (0 without a cover rule: a team open around the clock has one);
    need_fte = max(demand_need_fte, cover_need_fte);  need_basis = "cover" if cover_need_fte > demand_need_fte,
        else "demand";
    clinical_fte = Σ f over clinical lines;
    demand_gap_fte = Σ unmet ÷ h;  cover_gap_fte = max(0, cover_need_fte − clinical_fte);
    gap_fte = max(demand_gap_fte, cover_gap_fte)   (`Allocation.gap_fte` stays Σ unmet ÷ h);
    surplus_fte = max(0, clinical_fte − max(Σ allocated ÷ h, cover_need_fte)).
    A gap and a surplus can both be above 0: complex work unmet while staff who may not take it are idle.

5. Supervision (hours a month, every year).  Need of a line i whose role needs supervision (s_i =
    supervision_hours_per_month set):  (f_{i,k} + T_{i,k}) × s_i, where T_{i,k} = the line's trainees while they are
    still in training (start_year < Y_T and y_k < Y_T; they need supervision before they qualify), grouped by role:
        need_r = Σ over r's lines.
    Capacity (pool) of supervising role s, if its lines in the team have FTE F_{s,k} > 0:
        pool_s = F_{s,k} × C × 52/12 × p × supervision_fraction   (1 FTE: 37.5 × 4.333 × 0.78 × 0.1 = 12.675).
    Matching is a flow: source → supervised role r (capacity need_r) → each role s that may supervise r and is in the
    team (unbounded) → sink (capacity pool_s). covered = the maximum flow (shortest augmenting paths, roles and
    supervisors in slug order, so the result is deterministic); covered_r = flow into r; shortfall_r = need_r −
    covered_r, so a shortfall is reported only when no arrangement of the supervisors covers it. capacity_r = Σ
    pool_s of r's supervisors in the team (the most r could get); used_s = flow out of s. A role none of whose
    supervisor roles is in the team has capacity 0 and its whole need counts as unsupervised. Overall: need = Σ
    need_r, capacity = Σ pools that supervise someone, covered = Σ covered_r, shortfall = Σ shortfall_r,
    spare = capacity − covered.

6. Projection, years y_k = start_year + k for k = 0 … horizon (k = 0 is the baseline, the inputs as given).
    Per line, with attrition a (fraction), recruitment R and trainees T completing in year Y_T:
        f_{k+1} = f_k × (1 − a) + R + (T if Y_T = y_{k+1} else 0).
    Trainees whose completion year is at or before the start year are assumed to be in the FTE in post already;
    those completing after the horizon, or with no completion year, do not join (all three are in `warnings`).
    Each line's yearly figures (`YearResult.lines`): FTE f_k; establishment E (its funded establishment, FTE in post
    when not given); vacancies max(0, E − f_k); over establishment max(0, f_k − E); leavers f_{k−1} × a, recruits
    R and trainees qualifying (T when Y_T = y_k), each 0 in year 0; trainees in training T_k (section 5); declared
    capabilities d_k (section 2); cost (below); staff group (section 9).
    Demand:  D_t(k) = D_t(0) × (1 + g)^k  (caseload grows in step).  Each year re-runs sections 2–5.
    Per year: demand_met_pct = 100 × Σ allocated ÷ Σ D (None when there is no demand); vacancies and
    over-establishment are Σ per line (a surplus in one line does not fill a vacancy in another);
    cost = Σ_i f_{i,k} × M_{grade_i} × (1 + o) × (1 + w)^k, with M the grade's midpoint (bottom + top) ÷ 2, or
    its top when pay_point = "top"; establishment_cost = Σ_i E_i × M_{grade_i} × (1 + o) × (1 + w)^k.
    AfC bands and medical grades each use their own pay point. A pay point's `note` (a figure not confirmed, or
    carried from an earlier year) is listed in `pay_notes` for the grades in the team. A line whose grade has no pay
    point is left out of both costs and its FTE is reported as `uncosted_fte`.
    cost_over_horizon = Σ cost for k = 0 … horizon − 1: the horizon's years, each costed at its opening FTE;
    establishment_cost_over_horizon sums the same years; `cost_years` lists them, so a table of those years'
    costs with a total row adds up to cost_over_horizon.

7. Targets (judged in every year k; `by_year` has each, and the baseline and horizon fields are the first and last
    years). Metrics:
        total_fte                    F
        total_fte_per_100k           F ÷ population × 100,000             (not applicable without a population)
        caseload_per_clinical_fte    Σ caseload ÷ Σ f[clinical]           (not applicable with no clinical FTE;
                                     in year k the caseload has grown by (1 + g)^k)
        min_fte                      Σ f over lines in the target's scope (role, family, capability: a line
                                     counts when it matches every scope field given; with a capability, only
                                     its FTE able to deliver it counts, as in section 2)
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

8. Headlines: at the start (year 0) and at the horizon (the last year): FTE in post, establishment, vacancies,
    over-establishment, need (and its basis), gap, surplus, demand met %, complex met %, cost and establishment
    cost. Warnings, in plain English with the figures: FTE in post over establishment (start or horizon); falling
    supply (FTE in post lower at the horizon than at the start: 100 × (F_0 − F_H) ÷ F_0 % fall); a gap at the
    horizon; complex demand unmet (start or horizon); a surplus (start or horizon).

9. Comparison  `compare(a, b)`: each figure as (a, b, diff = b − a): FTE by role, by band and by staff group at the
    baseline and at the end of the horizon (staff groups: "non-clinical" for a non-clinical line, else "medical" for
    a medical grade, else "registered" or "unregistered"; each line is in exactly one), total FTE, cost (baseline
    year, last year, over the horizon), demand met %, gap FTE, surplus FTE, complex capacity hours, complex met % and
    supervision shortfall hours (each at the baseline and in the last year), unmet hours by tier, skilled hours on
    routine work, each target's status in a and in b, and the number of targets met. `warnings` says when the plans
    cover different years or use different assumptions.
    Roll-up  `rollup(results)`: sums over teams' baselines of FTE, establishment, vacancies, cost, need FTE, surplus
    FTE, gap FTE (each team's gap as in section 5, cover included: staff are not shared between teams, so gaps
    add), unmet hours by tier and skilled hours on routine work; demand met % and registered % recomputed from the
    sums; skill mix by family. `by_year`
    sums each calendar year (FTE, vacancies, cost, demand, gap, need, surplus) over the teams whose plans cover it
    (`teams_counted` says how many).

Every result carries `engine_version` (constants.ENGINE_VERSION, "2.0" for these equations).

Modules
=======
    constants      tiers, band ranks and codes, target metrics, comparators and statuses
    inputs         the frozen input dataclasses: Assumptions, StaffLine, DemandLine, DemandRate, CoverRule,
                   PayPoint, CapabilityRequirement, Target, PlanInput
    results        the output dataclasses: PlanResult and its parts, Comparison, Rollup
    formulas       small shared calculations: sums, percentages, h, P, supervision hours per FTE, cost, growth,
                   band labels
    skill_mix      section 1 (and FTE by role)
    capabilities   section 2
    demand         section 3's demand: the plan's own, or from the population
    allocation     section 3's allocation
    supervision    section 5
    projection     sections 4 and 6, every year
    targets        section 7
    headlines      section 8
    calculation    calculate(plan): sections 1–8 for one plan, and the warnings about its inputs
    aggregate      section 9: compare(a, b) and rollup(results)
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
