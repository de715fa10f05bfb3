"""Display logic for role pages: turns roles into the rows and labels templates show."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from roles.bands import Band
from roles.experience import ceiling_rule_text
from roles.models import Capability, Role, RoleSource

NOT_CONFIRMED = "Not confirmed"
NON_CLINICAL = "Non-clinical"
NON_CLINICAL_NOTE = "Non-clinical role: counted in a team's staff (FTE) and cost, not in its care hours."

# Health Education England merged into NHS England in 2023 and many of its pages moved or were archived.
HEE_HOST = "hee.nhs.uk"
HEE_MOVED_NOTE = (
    "Health Education England page: HEE merged into NHS England in 2023, so this page may have moved "
    "or be kept only in the UK Government Web Archive."
)


def qualified_bands(role: Role) -> str:
    """The role's qualified pay band or grade range, or "Band not confirmed" when no source gives one."""
    return role.qualified_band_text


def trainee_band(role: Role) -> str:
    return Band(role.band_trainee).label if role.band_trainee else "None stated"


def _unconfirmed_mentions(role: Role, *words: str) -> bool:
    return any(word in line.lower() for line in role.unconfirmed_list for word in words)


def registration_status(role: Role) -> str:
    """Whether statutory registration is needed to practise, saying so when that is not yet confirmed."""
    if role.registered:
        return "Required to practise"
    if _unconfirmed_mentions(role, "regulator or register", "registration is required"):
        return NOT_CONFIRMED
    return "Not required"


def regulator_text(role: Role) -> str:
    """Who holds the register, when the role has no regulator of its own."""
    if role.registered:
        return "No register of its own: registered in the professional's own profession"
    if _unconfirmed_mentions(role, "regulator or register"):
        return NOT_CONFIRMED
    return "Not regulated"


def prescribing_text(role: Role) -> str:
    names = capabilities_in_group(role, Capability.Group.PRESCRIBING)
    if names:
        return "; ".join(names)
    return NOT_CONFIRMED if _unconfirmed_mentions(role, "prescrib") else "Does not prescribe"


def clinical_text(role: Role) -> str:
    return "Gives direct clinical care" if role.clinical else NON_CLINICAL_NOTE


@dataclass(frozen=True)
class PlanningDefaults:
    """What team plans assume about a role unless a staffing line says otherwise: the most complex need it holds, by
    band ("Complex from band 6; moderate below"), with the reason and its source; and the supervision each FTE needs,
    with its source or marked as a modelling default."""

    ceiling_rule: str
    ceiling_reason: str
    ceiling_source_url: str
    supervision_hours_per_month: Decimal | None
    supervision_source_url: str


def planning_defaults(role: Role) -> PlanningDefaults:
    return PlanningDefaults(
        ceiling_rule=ceiling_rule_text(role),
        ceiling_reason=role.ceiling_reason,
        ceiling_source_url=role.ceiling_source_url,
        supervision_hours_per_month=role.supervision_hours_per_month,
        supervision_source_url=role.supervision_source_url,
    )


def supervision_hours_text(role: Role) -> str:
    """ "6.5 hours a month (modelling default)", "4.3 hours a month", or "None set"."""
    hours = role.supervision_hours_per_month
    if hours is None:
        return "None set"
    text = f"{hours.normalize():f} hours a month"
    return text if role.supervision_source_url else f"{text} (modelling default)"


def source_moved_note(source: RoleSource) -> str:
    """A note for a source on a host that has moved since it was cited (Health Education England's pages)."""
    host = (urlsplit(source.url).hostname or "").lower()
    return HEE_MOVED_NOTE if host == HEE_HOST or host.endswith("." + HEE_HOST) else ""


@dataclass
class SourceRow:
    url: str
    title: str
    supports: str
    secondary: bool
    moved_note: str


def source_rows(role: Role) -> list[SourceRow]:
    return [
        SourceRow(source.url, source.title, source.supports, source.secondary, source_moved_note(source))
        for source in role.sources.all()
    ]


def duration(months: int | None) -> str:
    if months is None:
        return "Duration not confirmed"
    if months % 12 == 0:
        years = months // 12
        return f"{years} year" if years == 1 else f"{years} years"
    return f"{months} months"


def capabilities_in_group(role: Role, group: str) -> list[str]:
    """Names of the role's capabilities in one group, from the prefetched role capabilities."""
    return [
        f"{link.capability.name} ({link.get_level_display().lower()})"
        for link in role.role_capabilities.all()
        if link.capability.group == group
    ]


@dataclass
class CompareRow:
    label: str
    values: list[str]

    @property
    def differs(self) -> bool:
        return len(set(self.values)) > 1


def compare_rows(roles: list[Role]) -> list[CompareRow]:
    """The fact rows of the comparison table: one value per role, in the order of `roles`."""

    def row(label, value_of):
        return CompareRow(label, [value_of(role) for role in roles])

    return [
        row("Role family", lambda r: r.family.name),
        row("Also known as", lambda r: ", ".join(r.alternative_title_list) or "None"),
        row("Regulator or register", lambda r: r.regulator.name if r.regulator else regulator_text(r)),
        row("Statutory registration", lambda r: registration_status(r).removesuffix(" to practise")),
        row("Band in training", trainee_band),
        row("Band when qualified", qualified_bands),
        row(
            "Training routes",
            lambda r: (
                "; ".join(f"{t.name} ({duration(t.duration_months)})" for t in r.training_routes.all()) or NOT_CONFIRMED
            ),
        ),
        row("Prescribing", prescribing_text),
        row(
            "Mental Health Act roles",
            lambda r: "; ".join(capabilities_in_group(r, Capability.Group.MENTAL_HEALTH_ACT)) or "None",
        ),
        row("Supervision", lambda r: r.supervision or NOT_CONFIRMED),
        row("Supervision each FTE needs, for planning", supervision_hours_text),
        row("New role", lambda r: "Yes" if r.is_new_role else "No"),
        row("Clinical care", lambda r: "Yes" if r.clinical else NON_CLINICAL),
        row("Most complex need (modelling default)", ceiling_rule_text),
    ]


def capability_rows(roles: list[Role], capabilities: list[Capability]) -> list[CompareRow]:
    """One row per capability: each role's level, or "No"."""
    levels = [{link.capability_id: link.get_level_display() for link in role.role_capabilities.all()} for role in roles]
    return [
        CompareRow(capability.name, [level.get(capability.pk, "No") for level in levels]) for capability in capabilities
    ]


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


@dataclass
class Facet:
    name: str
    label: str
    multiple: bool
    options: list[FacetOption]

    @property
    def chosen(self) -> bool:
        return any(option.checked for option in self.options)


@dataclass
class ActiveFilter:
    label: str
    remove_url: str


def facets(filterset, counts: dict[str, dict[str, int]]) -> list[Facet]:
    """The filter form's facets with a result count beside each option, in form order."""
    chosen = filterset.form.cleaned_data if filterset.form.is_bound else {}
    result = []
    for name, bound in ((name, filterset.form[name]) for name in filterset.form.fields):
        field = bound.field
        selected = _selected_values(chosen.get(name))
        options = []
        for value, label in field.choices:
            value = str(getattr(value, "value", value))
            if value == "":
                continue
            options.append(FacetOption(value, str(label), counts.get(name, {}).get(value, 0), value in selected))
        multiple = getattr(field.widget, "allow_multiple_selected", False)
        result.append(Facet(name, str(field.label), multiple, options))
    return result


def _selected_values(value) -> set[str]:
    if value is None or isinstance(value, str) and not value:
        return set()
    items = [value] if isinstance(value, str) else value
    return {str(getattr(item, "slug", item)) for item in items}


def active_filters(request, facet_list: list[Facet], query: str) -> list[ActiveFilter]:
    """Every chosen option (and the search), each with a link that removes just it."""
    active = []
    if query:
        active.append(ActiveFilter(f"Search: {query}", _url_without(request, "q", None)))
    for facet in facet_list:
        for option in facet.options:
            if option.checked:
                active.append(
                    ActiveFilter(f"{facet.label}: {option.label}", _url_without(request, facet.name, option.value))
                )
    return active


def _url_without(request, name: str, value: str | None) -> str:
    params = request.GET.copy()
    if value is None:
        params.pop(name, None)
    else:
        remaining = [v for v in params.getlist(name) if v != value]
        params.setlist(name, remaining)
    encoded = params.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path
