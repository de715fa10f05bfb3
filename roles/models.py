"""The catalogue: role families, roles, capabilities, regulators, training routes and sources.

Every model has a natural key (slugs), so the fixtures in `fixtures/` reload idempotently.
"""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from roles.bands import Band, band_range_label


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class RoleCapabilityManager(models.Manager):
    def get_by_natural_key(self, role_slug, capability_slug):
        return self.get(role__slug=role_slug, capability__slug=capability_slug)


class RoleChildManager(models.Manager):
    """Natural key (role slug, key) for the rows that belong to one role."""

    key_field = "slug"

    def get_by_natural_key(self, role_slug, key):
        return self.get(role__slug=role_slug, **{self.key_field: key})


class TrainingRouteManager(RoleChildManager):
    key_field = "slug"


class RoleSourceManager(RoleChildManager):
    key_field = "url"


class SlugModel(models.Model):
    slug = models.SlugField(max_length=80, unique=True)

    objects = SlugManager()

    class Meta:
        abstract = True

    def __str__(self):
        return getattr(self, "name", self.slug)

    def natural_key(self):
        return (self.slug,)


class Regulator(SlugModel):
    class Kind(models.TextChoices):
        STATUTORY = "statutory", "Statutory regulator"
        ACCREDITED_REGISTER = "accredited", "Accredited voluntary register"

    name = models.CharField(max_length=120)
    short_name = models.CharField(max_length=20)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    url = models.URLField()

    class Meta:
        ordering = ["short_name"]


class RoleFamily(SlugModel):
    name = models.CharField(max_length=120)
    description = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "role families"


class Capability(SlugModel):
    class Group(models.TextChoices):
        PRESCRIBING = "prescribing", "Prescribing"
        MENTAL_HEALTH_ACT = "mha", "Mental Health Act roles"
        CLINICAL = "clinical", "Clinical care"
        PSYCHOLOGICAL = "psychological", "Psychological interventions"
        LIVED_EXPERIENCE = "lived", "Lived experience and families"
        LEADERSHIP = "leadership", "Supervision, leadership and education"

    name = models.CharField(max_length=120)
    group = models.CharField(max_length=16, choices=Group.choices)
    description = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "capabilities"


class ComplexityTier(models.IntegerChoices):
    """Complexity of need, lowest first, so that a role's ceiling compares with `<=`."""

    ROUTINE = 1, "Routine"
    MODERATE = 2, "Moderate"
    COMPLEX = 3, "Complex"


class Role(SlugModel):
    name = models.CharField(max_length=120)
    alternative_titles = models.TextField(
        blank=True, help_text="Other names for the role, one a line (for example a new official title)."
    )
    family = models.ForeignKey(RoleFamily, on_delete=models.PROTECT, related_name="roles")
    summary = models.TextField(help_text="One or two sentences: what the role is for.")
    scope_of_practice = models.TextField(help_text="What the role may and may not do.")
    regulator = models.ForeignKey(Regulator, on_delete=models.PROTECT, null=True, blank=True, related_name="roles")
    registered = models.BooleanField(
        help_text="Must be on a register held by a statutory regulator to practise under this title."
    )
    registration_note = models.TextField(blank=True)
    band_trainee = models.PositiveSmallIntegerField(choices=Band.choices, null=True, blank=True)
    band_min = models.PositiveSmallIntegerField(
        choices=Band.choices,
        null=True,
        blank=True,
        help_text="Lowest qualified pay grade (Agenda for Change band or medical grade).",
    )
    band_max = models.PositiveSmallIntegerField(
        choices=Band.choices,
        null=True,
        blank=True,
        help_text="Highest qualified pay grade (Agenda for Change band or medical grade).",
    )
    band_note = models.TextField(blank=True)
    is_new_role = models.BooleanField(
        help_text="A role created by the new ways of working programmes, rather than an established profession."
    )
    clinical = models.BooleanField(
        "Gives direct clinical care",
        default=True,
        help_text="Non-clinical roles such as administrators count in FTE and cost but give no care hours.",
    )
    historic = models.BooleanField(default=False, help_text="No longer recruited to; kept for the record.")
    year_introduced = models.PositiveSmallIntegerField(null=True, blank=True)
    supervision = models.TextField(blank=True, help_text="Who supervises the role, and how.")
    supervisor_roles = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="supervises")
    supervision_hours_per_month = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Modelling default for planning; leave empty when no source states it.",
    )
    complexity_ceiling = models.PositiveSmallIntegerField(
        choices=ComplexityTier.choices,
        default=ComplexityTier.COMPLEX,
        help_text="Modelling default: the most complex need this role may hold a caseload for. Editable.",
    )
    full_ceiling_band = models.PositiveSmallIntegerField(
        "Holds its most complex need from",
        choices=Band.choices,
        null=True,
        blank=True,
        help_text=(
            "Modelling default: the lowest band or grade at which staff in this role hold the ceiling above. "
            "Staff below it hold caseloads one tier less complex (for example newly qualified staff in "
            "preceptorship). Empty: every band holds the ceiling."
        ),
    )
    ceiling_reason = models.TextField(
        blank=True,
        default="",
        help_text="Why the ceiling (and the band it starts from) is what it is; shown in plans and on the role page.",
    )
    ceiling_source_url = models.URLField(
        max_length=500, blank=True, default="", help_text="A source for the ceiling, if one exists."
    )
    supervision_source_url = models.URLField(
        max_length=500,
        blank=True,
        default="",
        help_text="A source for the supervision hours, if one exists; empty means a modelling default.",
    )
    unconfirmed = models.TextField(
        blank=True, help_text="Facts not yet confirmed by a source, one a line; shown as unconfirmed."
    )
    capabilities = models.ManyToManyField(Capability, through="RoleCapability", related_name="roles")
    related_roles = models.ManyToManyField("self", blank=True)
    last_reviewed = models.DateField()

    class Meta:
        ordering = ["name"]

    def get_absolute_url(self):
        return reverse("roles:detail", args=[self.slug])

    @property
    def alternative_title_list(self):
        return [line.strip() for line in self.alternative_titles.splitlines() if line.strip()]

    @property
    def qualified_band_text(self) -> str:
        """The qualified band or grade range as the catalogue shows it, or "Band not confirmed"."""
        return band_range_label(self.band_min, self.band_max) or "Band not confirmed"

    @property
    def unconfirmed_list(self):
        return [line.strip() for line in self.unconfirmed.splitlines() if line.strip()]


class RoleCapability(models.Model):
    class Level(models.TextChoices):
        CORE = "core", "Core to the role"
        FURTHER_TRAINING = "further", "With further training or approval"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="role_capabilities")
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="role_capabilities")
    level = models.CharField(max_length=8, choices=Level.choices)
    note = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(max_length=500)

    objects = RoleCapabilityManager()

    class Meta:
        ordering = ["capability__order", "capability__name"]
        constraints = [models.UniqueConstraint(fields=["role", "capability"], name="unique_role_capability")]
        verbose_name_plural = "role capabilities"

    def __str__(self):
        return f"{self.role} – {self.capability}"

    def natural_key(self):
        return self.role.natural_key() + self.capability.natural_key()

    natural_key.dependencies = ["roles.role", "roles.capability"]


class TrainingRoute(models.Model):
    class Kind(models.TextChoices):
        DEGREE = "degree", "Degree"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship"
        POSTGRADUATE = "postgraduate", "Postgraduate"
        IN_SERVICE = "in_service", "In-service training"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="training_routes")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    duration_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty when no source states the duration."
    )
    description = models.TextField(blank=True)
    source_url = models.URLField(max_length=500)

    objects = TrainingRouteManager()

    class Meta:
        ordering = ["role", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["role", "slug"], name="unique_route_slug_per_role")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return self.role.natural_key() + (self.slug,)

    natural_key.dependencies = ["roles.role"]


class RoleSource(models.Model):
    """A public page that supports facts on a role's profile."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=500)
    title = models.CharField(max_length=300)
    supports = models.CharField(max_length=300, help_text="Which facts on the profile this page supports.")
    secondary = models.BooleanField(
        default=False, help_text="A secondary source (press, third party): check against the primary source."
    )

    objects = RoleSourceManager()

    class Meta:
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["role", "url"], name="unique_source_per_role")]

    def __str__(self):
        return self.title

    def natural_key(self):
        return self.role.natural_key() + (self.url,)

    natural_key.dependencies = ["roles.role"]


class CaseStudyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CaseStudy.Status.PUBLISHED)


class CaseStudyManager(models.Manager.from_queryset(CaseStudyQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class CaseStudy(models.Model):
    """A trust's story of a role in practice. Status changes only through `roles.publishing`."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Setting(models.TextChoices):
        COMMUNITY = "community", "Community"
        INPATIENT = "inpatient", "Inpatient"
        SECURE_CARE = "secure", "Secure care"
        PRIMARY_CARE = "primary", "Primary care"
        CHILDREN_YOUNG_PEOPLE = "cyp", "Children and young people"
        CRISIS = "crisis", "Crisis care"
        EDUCATION_TRAINING = "education", "Education and training"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    organisation = models.CharField(max_length=200)
    roles = models.ManyToManyField(Role, related_name="case_studies")
    setting = models.CharField(max_length=12, choices=Setting.choices)
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Leave empty if the source gives none.")
    summary = models.TextField()
    body = models.TextField()
    people_quoted = models.TextField(blank=True, help_text="Name and role of each person quoted, one a line.")
    source_url = models.URLField(max_length=500)
    source_title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    updated_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    published_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = CaseStudyManager()

    class Meta:
        ordering = [models.F("year").desc(nulls_last=True), "-published_at", "title"]
        verbose_name_plural = "case studies"
        permissions = [
            ("submit_casestudy", "Can submit a case study for review"),
            ("publish_casestudy", "Can publish, send back, archive and restore case studies"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roles:case-study", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class CaseStudyTransition(models.Model):
    """One workflow step: who moved a case study from one status to another, when and why."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, choices=CaseStudy.Status.choices)
    to_status = models.CharField(max_length=10, choices=CaseStudy.Status.choices)
    by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Resource(SlugModel):
    class Kind(models.TextChoices):
        GUIDE = "guide", "Guide"
        FILM = "film", "Film"
        E_LEARNING = "e_learning", "E-learning"
        REPORT = "report", "Report"
        TOOLKIT = "toolkit", "Toolkit"
        WEB_PAGE = "web_page", "Web page"

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    publisher = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.TextField()
    url = models.URLField(max_length=500)
    roles = models.ManyToManyField(Role, blank=True, related_name="resources")
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Revision(models.Model):
    """A proposed change to public content, waiting for a second person (`roles.revisions` applies it).

    `proposed` holds the field values, many-to-many choices and inline rows the proposer saved in the admin, as JSON;
    `base` holds the same values as they were published when the change was proposed (None when the revision
    proposes a new row, `object_id` None until it is approved). The public site shows the published row until a
    publisher other than the proposer approves.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_repr = models.CharField(max_length=300)
    base = models.JSONField(null=True, blank=True)
    proposed = models.JSONField()
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "status"], name="revision_target_status")]
        permissions = [("approve_revision", "Can approve or reject a change to published content")]

    def __str__(self):
        kind = self.content_type.model_class()._meta.verbose_name if self.content_type_id else "row"
        action = "New" if self.base is None else "Change to"
        return f"{action} {kind} “{self.object_repr}”"
