"""Display logic for role pages: turns roles into the rows and labels templates show."""

from dataclasses import dataclass

from roles.bands import Band, band_range_label
from roles.models import Capability, Role

NOT_CONFIRMED = "Not confirmed"


def qualified_bands(role: Role) -> str:
    return band_range_label(role.band_min, role.band_max) or NOT_CONFIRMED


def trainee_band(role: Role) -> str:
    return Band(role.band_trainee).label if role.band_trainee else "None stated"


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
        row("Regulator or register", lambda r: r.regulator.name if r.regulator else "None"),
        row("Statutory registration", lambda r: "Required" if r.registered else "Not required"),
        row("Band in training", trainee_band),
        row("Band when qualified", qualified_bands),
        row(
            "Training routes",
            lambda r: (
                "; ".join(f"{t.name} ({duration(t.duration_months)})" for t in r.training_routes.all()) or NOT_CONFIRMED
            ),
        ),
        row(
            "Prescribing",
            lambda r: "; ".join(capabilities_in_group(r, Capability.Group.PRESCRIBING)) or "Does not prescribe",
        ),
        row(
            "Mental Health Act roles",
            lambda r: "; ".join(capabilities_in_group(r, Capability.Group.MENTAL_HEALTH_ACT)) or "None",
        ),
        row("Supervision", lambda r: r.supervision or NOT_CONFIRMED),
        row("New role", lambda r: "Yes" if r.is_new_role else "No"),
        row("Most complex need (modelling default)", lambda r: r.get_complexity_ceiling_display()),
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
