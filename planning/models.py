"""Planning workspace data: organisations and who belongs to them, teams, plans and their lines, and the
reference data plans are measured against (team types, guidance targets, pay scales).

Every query a user can trigger goes through `planning.selectors`, which scopes it to the user's
organisations. Views never use these managers directly (a test enforces it).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from planning.pay_years import pay_year_problem
from roles.bands import AFC, MEDICAL, PAY_TABLE_LABELS, Band, pay_table
from roles.models import Capability, ComplexityTier, Role, RoleFamily

FTE = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(Decimal("999.99"))]}
PERCENT = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(100)]}
YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]

# The pay year a plan gets when no pay table is loaded yet (a new database before load_reference_data).
FALLBACK_PAY_YEAR = "2026/27"


def pay_year_tables() -> dict[str, bool]:
    """The pay years the pay tables hold, latest first, each with whether all of its figures are confirmed
    against the published tables (one query). The one list of pay years: a new plan's default, the plan's
    validator, the plan form's choices and the import all read it."""
    confirmed: dict[str, bool] = {}
    for year, row_confirmed in PayScale.objects.values_list("year", "confirmed"):
        confirmed[year] = confirmed.get(year, True) and row_confirmed
    return dict(sorted(confirmed.items(), reverse=True))


def pay_years() -> list[str]:
    """The pay years the portal has a table for, latest first (one query)."""
    return list(pay_year_tables())


def latest_pay_year() -> str:
    """A new plan's pay year: the latest one with a pay table."""
    years = pay_years()
    return years[0] if years else FALLBACK_PAY_YEAR


def validate_pay_year(value: str) -> None:
    """A plan's pay year follows the pay year rule (`planning.pay_years`, which the import follows too) and has
    a pay table, so its costs are never silently £0."""
    problem = pay_year_problem(value, years=pay_years())
    if problem:
        raise ValidationError(f"{value or '(blank)'} {problem}.", code="no_pay_table")


ods_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,6}$",
    "Enter an ODS code of 3 to 6 capital letters and numbers, for example RXA or QYG.",
)


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        TRUST = "trust", "NHS trust"
        ICB = "icb", "Integrated care board"
        PCN = "pcn", "Primary care network"
        VCSE = "vcse", "Voluntary, community or social enterprise"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    ods_code = models.CharField("ODS code", max_length=6, unique=True, validators=[ods_code_validator])
    kind = models.CharField(max_length=5, choices=Kind.choices)
    is_demo = models.BooleanField(default=False, help_text="Fictional organisation loaded with the demo data.")

    objects = SlugManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Membership(models.Model):
    class Access(models.TextChoices):
        LEAD = "lead", "Workforce lead (can edit)"
        VIEWER = "viewer", "Viewer (read only)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    access = models.CharField(max_length=6, choices=Access.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.access})"


class TeamType(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField()
    source_url = models.URLField(max_length=500, blank=True)
    required_capabilities = models.ManyToManyField(Capability, through="TeamTypeCapability", related_name="+")
    # Minimum cover for teams open around the clock (crisis teams, wards): clinical staff on each shift, shifts a
    # day and hours a shift, seven days a week. Empty for teams without a cover rule.
    staff_on_shift = models.DecimalField(
        "Clinical staff on each shift",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    shifts_per_day = models.PositiveSmallIntegerField(
        "Shifts a day", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    shift_hours = models.DecimalField(
        "Hours a shift",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    cover_note = models.TextField(blank=True, default="", help_text="Where the cover rule comes from, or why.")
    cover_source_url = models.URLField(max_length=500, blank=True, default="")
    cover_modelling_default = models.BooleanField(
        default=True, help_text="An editable modelling default rather than a figure stated by a source."
    )

    objects = SlugManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class TeamTypeCapabilityManager(models.Manager):
    def get_by_natural_key(self, team_type_slug, capability_slug):
        return self.get(team_type__slug=team_type_slug, capability__slug=capability_slug)


class TeamTypeCapability(models.Model):
    team_type = models.ForeignKey(TeamType, on_delete=models.CASCADE, related_name="capability_requirements")
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="+")
    min_fte = models.DecimalField(**FTE)
    source_url = models.URLField(max_length=500, blank=True)
    modelling_default = models.BooleanField(
        default=True, help_text="An editable modelling default rather than a figure stated by a source."
    )

    objects = TeamTypeCapabilityManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team_type", "capability"], name="one_requirement_per_capability")
        ]

    def __str__(self):
        return f"{self.team_type}: {self.capability} ≥ {self.min_fte} FTE"

    def natural_key(self):
        """(team type slug, capability slug), so that the reference fixture reloads without duplicates."""
        return self.team_type.natural_key() + self.capability.natural_key()

    natural_key.dependencies = ["planning.teamtype", "roles.capability"]


class TeamTypeDemandManager(models.Manager):
    def get_by_natural_key(self, team_type_slug, tier):
        return self.get(team_type__slug=team_type_slug, tier=tier)


class TeamTypeDemand(models.Model):
    """A team type's reference demand in one complexity tier: people on the caseload per 100,000 population and the
    care hours each needs a week. A plan can derive its demand from these and its team's population."""

    team_type = models.ForeignKey(TeamType, on_delete=models.CASCADE, related_name="demand_rates")
    tier = models.PositiveSmallIntegerField("Tier", choices=ComplexityTier.choices)
    caseload_per_100k = models.DecimalField(
        "Caseload per 100,000 population", max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    hours_per_person_per_week = models.DecimalField(
        "Hours per person per week",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )
    source_url = models.URLField(max_length=500, blank=True, default="")
    source_label = models.CharField(max_length=300, blank=True, default="")
    modelling_default = models.BooleanField(
        default=True, help_text="An editable modelling default rather than a figure stated by a source."
    )

    objects = TeamTypeDemandManager()

    class Meta:
        ordering = ["team_type", "-tier"]
        constraints = [models.UniqueConstraint(fields=["team_type", "tier"], name="one_demand_rate_per_tier")]

    def __str__(self):
        return f"{self.team_type}: {self.get_tier_display()}"

    def natural_key(self):
        return (*self.team_type.natural_key(), self.tier)

    natural_key.dependencies = ["planning.teamtype"]


DEMO_KEY_HELP = "The demo data file's key for this row (fixtures/demo/demo.yaml); blank for everything else"


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    team_type = models.ForeignKey(TeamType, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)
    population_served = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(20_000_000)])
    # Optimistic locking, as for plans: `services.save_team` saves only if the team is still at the version
    # the form was loaded at.
    version = models.PositiveIntegerField(default=1, editable=False)
    demo_key = models.SlugField(max_length=60, blank=True, default="", editable=False, help_text=DEMO_KEY_HELP)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_team_name_per_org"),
            models.UniqueConstraint(
                fields=["organisation", "demo_key"], condition=~models.Q(demo_key=""), name="unique_team_demo_key"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("planning:team", args=[self.pk])


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField("Plan name", max_length=120, help_text="For example, 2026 baseline")
    scenario_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="scenarios")
    start_year = models.PositiveSmallIntegerField(
        "Start year", validators=YEAR, help_text="The first year of the plan, for example 2026"
    )
    horizon_years = models.PositiveSmallIntegerField(
        "Horizon (years)",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How many years ahead to plan, from 1 to 10",
    )
    # Assumptions, each with a modelling default shown to the user.
    contract_hours = models.DecimalField(
        "Contract hours a week",
        max_digits=4,
        decimal_places=2,
        default=Decimal("37.5"),
        validators=[MinValueValidator(1), MaxValueValidator(48)],
        help_text="The hours of one full-time post on Agenda for Change terms",
    )
    productive_fraction = models.DecimalField(
        "Productive fraction",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.78"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(1)],
        help_text=(
            "The share of contracted time available for work after leave, sickness and training, "
            "as a decimal between 0.1 and 1 (0.78 means 78%)"
        ),
    )
    direct_care_fraction = models.DecimalField(
        "Direct-care fraction",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.60"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(1)],
        help_text="The share of productive time spent with the people the team serves, as a decimal between 0.1 and 1",
    )
    demand_growth_pct = models.DecimalField(
        "Demand growth (% a year)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(-50), MaxValueValidator(100)],
        help_text="How much the caseload grows each year, from -50 to 100",
    )
    on_cost_pct = models.DecimalField(
        "Employer on-costs (%)",
        default=Decimal("28"),
        help_text="Added to salary for the employer's pension and National Insurance, from 0 to 100",
        **PERCENT,
    )
    supervision_fraction = models.DecimalField(
        "Supervision fraction",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.10"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=(
            "The share of a supervisor's productive time available to supervise others, as a decimal between 0 and 1 "
            "(0.1 means 10%)"
        ),
    )

    class PayPoint(models.TextChoices):
        MIDPOINT = "midpoint", "Midpoint of each grade"
        TOP = "top", "Top of each grade"

    pay_year = models.CharField(
        "Pay year",
        max_length=7,
        default=latest_pay_year,
        validators=[validate_pay_year],
        help_text="The pay tables (Agenda for Change and medical) used for costs",
    )
    pay_point = models.CharField(
        "Cost each grade at",
        max_length=8,
        choices=PayPoint.choices,
        default=PayPoint.MIDPOINT,
        help_text="The midpoint of each pay grade, or its top (a cautious budget)",
    )
    pay_growth_pct = models.DecimalField(
        "Pay award a year (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(20)],
        help_text="The yearly pay award applied on top of the chosen pay year, compounding, from 0 to 20",
    )

    class DemandBasis(models.TextChoices):
        OWN = "own", "Entered for this plan"
        POPULATION = "population", "Worked out from the team's population and the team type's reference demand"

    demand_basis = models.CharField(
        "Demand",
        max_length=10,
        choices=DemandBasis.choices,
        default=DemandBasis.OWN,
        help_text="Enter the caseload by tier yourself, or work it out from the population the team serves",
    )
    staff_on_shift = models.DecimalField(
        "Clinical staff on each shift",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="For teams open around the clock; leave empty to use the team type's minimum cover",
    )
    notes = models.TextField(
        "Notes",
        blank=True,
        help_text="Anything someone reading the plan should know, such as where the figures came from",
    )
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    demo_key = models.SlugField(max_length=60, blank=True, default="", editable=False, help_text=DEMO_KEY_HELP)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    agreed_at = models.DateTimeField("Agreed on", null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["team", "scenario_of_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "demo_key"], condition=~models.Q(demo_key=""), name="unique_plan_demo_key"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("planning:plan", args=[self.pk])

    @property
    def is_baseline(self):
        return self.scenario_of_id is None

    @property
    def is_locked(self) -> bool:
        """An agreed plan is read only until a lead reopens it (`planning.services` refuses every change)."""
        return self.status == self.Status.AGREED

    @property
    def end_year(self):
        return self.start_year + self.horizon_years


class StaffingLine(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="staffing_lines")
    role = models.ForeignKey(Role, verbose_name="Role", on_delete=models.PROTECT, related_name="+")
    band = models.PositiveSmallIntegerField(
        "Band or grade", choices=Band.choices, help_text="Agenda for Change band, or medical grade for doctors"
    )
    fte = models.DecimalField("FTE in post", **FTE)
    establishment_fte = models.DecimalField("Funded establishment FTE", **FTE)
    attrition_pct = models.DecimalField(
        "Annual attrition (%)",
        default=Decimal("0"),
        help_text="The share of staff who leave in a year, from 0 to 100",
        **PERCENT,
    )
    trainees_fte = models.DecimalField("Trainees in pipeline (FTE)", default=Decimal("0"), **FTE)
    trainee_completion_year = models.PositiveSmallIntegerField(
        "Trainee completion year", null=True, blank=True, validators=YEAR, help_text="Needed when there are trainees"
    )
    recruitment_fte_per_year = models.DecimalField("Planned recruitment (FTE a year)", default=Decimal("0"), **FTE)
    complexity_ceiling = models.PositiveSmallIntegerField(
        "Most complex need",
        choices=ComplexityTier.choices,
        null=True,
        blank=True,
        help_text="Leave empty for the role and band's default",
    )
    supervision_hours_per_month = models.DecimalField(
        "Supervision hours a month",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
        help_text="Supervision each FTE needs; leave empty for the role's default",
    )
    note = models.CharField("Note", max_length=200, blank=True, default="", help_text="For example, team leader")
    history = HistoricalRecords()

    class Meta:
        ordering = ["role__family__order", "role__name", "band", "id"]

    def __str__(self):
        return f"{self.role} ({self.get_band_display()}): {self.fte} FTE"


class DeclaredCapability(models.Model):
    """FTE of a staffing line that holds a capability needing further training or approval (prescribing, approved
    clinician, AMHP and the like): only this FTE counts for it, not the whole line."""

    line = models.ForeignKey(StaffingLine, on_delete=models.CASCADE, related_name="declared_capabilities")
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="+")
    fte = models.DecimalField("FTE holding it", **FTE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "capability__order", "capability__name"]
        constraints = [
            models.UniqueConstraint(fields=["line", "capability"], name="one_declaration_per_line_capability")
        ]

    def __str__(self):
        return f"{self.line}: {self.capability} {self.fte} FTE"


class DemandLine(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="demand_lines")
    tier = models.PositiveSmallIntegerField("Tier", choices=ComplexityTier.choices)
    caseload = models.PositiveIntegerField("Caseload (people)", validators=[MaxValueValidator(1_000_000)])
    hours_per_person_per_week = models.DecimalField(
        "Hours per person per week",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-tier", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "tier"], name="one_demand_line_per_tier")]

    def __str__(self):
        return f"{self.get_tier_display()}: {self.caseload} people"


class GuidanceTarget(models.Model):
    class Scope(models.TextChoices):
        NATIONAL = "national", "National (context)"
        TEAM_TYPE = "team_type", "Team type (checked on dashboards)"

    class Metric(models.TextChoices):
        TOTAL_FTE = "total_fte", "Total team FTE"
        TOTAL_FTE_PER_100K = "total_fte_per_100k", "Team FTE per 100,000 population"
        MIN_FTE_PER_POPULATION = "min_fte_per_population", "Minimum team FTE for a population, scaled to the team's"
        CASELOAD_PER_CLINICAL_FTE = "caseload_per_clinical_fte", "Caseload per clinical FTE"
        MIN_FTE = "min_fte", "FTE of a role, family or capability"
        SHARE_OF_FTE = "share_of_fte", "Share of team FTE (%)"
        NATIONAL_HEADCOUNT = "national_headcount", "National staff number"

    class Kind(models.TextChoices):
        CURRENT = "current", "Current (judged met or not met)"
        HISTORICAL = "historical", "Historical (its date has passed; not judged)"
        CONTEXT = "context", "Context (for example a funding entitlement; not judged)"

    class Comparator(models.TextChoices):
        AT_LEAST = "at_least", "At least"
        AT_MOST = "at_most", "At most"
        BETWEEN = "between", "Between"

    slug = models.SlugField(max_length=80, unique=True)
    label = models.CharField(max_length=200)
    wording = models.TextField(help_text="What the source says, quoted or closely paraphrased.")
    scope = models.CharField(max_length=9, choices=Scope.choices)
    team_type = models.ForeignKey(TeamType, on_delete=models.CASCADE, null=True, blank=True, related_name="targets")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    family = models.ForeignKey(RoleFamily, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    capability = models.ForeignKey(Capability, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    metric = models.CharField(max_length=26, choices=Metric.choices)
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.CURRENT,
        help_text="Only current targets are judged met or not met on a dashboard.",
    )
    reference_population = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="For a minimum for a population: the population the source's figure is for (scaled to the team's).",
    )
    comparator = models.CharField(max_length=8, choices=Comparator.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    value_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    year = models.CharField(max_length=20, blank=True, help_text="The year or period the figure applies to.")
    source_url = models.URLField(max_length=500)
    source_label = models.CharField(max_length=200)
    secondary_source = models.BooleanField(default=False)
    unverified = models.BooleanField(
        default=False,
        help_text="The figure rests on one secondary page and has not been checked against the original document.",
    )

    objects = SlugManager()

    class Meta:
        ordering = ["scope", "label"]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.slug,)


class PayScaleManager(models.Manager):
    def get_by_natural_key(self, year, band):
        return self.get(year=year, band=band)


class PayScale(models.Model):
    """One grade's pay in one pay year, from one pay table (Agenda for Change or medical), with its source and
    whether the figures are confirmed against the published table."""

    class Table(models.TextChoices):
        AFC = AFC, PAY_TABLE_LABELS[AFC]
        MEDICAL = MEDICAL, PAY_TABLE_LABELS[MEDICAL]

    pay_table = models.CharField(max_length=7, choices=Table.choices, default=Table.AFC)
    year = models.CharField(max_length=7, help_text="Pay year, for example 2026/27 (from 1 April 2026).")
    band = models.PositiveSmallIntegerField("Grade", choices=Band.choices)
    bottom = models.DecimalField(max_digits=9, decimal_places=2)
    top = models.DecimalField(max_digits=9, decimal_places=2)
    intermediate = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, help_text="A published intermediate point, if any."
    )
    source_url = models.URLField(max_length=500)
    source_label = models.CharField(max_length=300, blank=True)
    confirmed = models.BooleanField(
        default=False,
        help_text="Checked against the published pay table. Unconfirmed figures say why in the source label.",
    )

    objects = PayScaleManager()

    class Meta:
        ordering = ["year", "band"]
        constraints = [models.UniqueConstraint(fields=["year", "band"], name="one_pay_point_per_band_and_year")]

    def __str__(self):
        return f"{self.year} {self.get_band_display()}"

    def clean(self):
        if self.band is not None and self.pay_table != pay_table(self.band):
            raise ValidationError({"pay_table": "This grade is paid from the other pay table."})

    def natural_key(self):
        return (self.year, self.band)

    @property
    def midpoint(self):
        return (self.bottom + self.top) / 2
