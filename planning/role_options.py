"""The role picker's options for a staffing line: every catalogue role, grouped by family, each with its band
range (or "band not confirmed") and whether it is non-clinical, read once per request and shared by every row of
the editor (and by the plan's history); and the capabilities a line can declare FTE for."""

from dataclasses import dataclass

from planning.staffing_rules import Declarable
from roles.bands import role_band_range_text
from roles.models import Role, RoleCapability
from roles.selectors import catalogue_roles


@dataclass
class RoleOptions:
    """The role picker's options, read once per request and shared by every row."""

    choices: list
    by_id: dict[int, Role]


def role_options() -> RoleOptions:
    roles = list(catalogue_roles())
    groups: dict[str, list] = {}
    for role in roles:
        text = role_band_range_text(role)
        label = f"{role.name} ({text or 'band not confirmed'})"
        if not role.clinical:
            label += " – non-clinical"
        if role.historic:
            label += " – no longer recruited"
        groups.setdefault(role.family.name, []).append((role.pk, label))
    return RoleOptions(
        choices=[("", "Choose a role"), *groups.items()],
        by_id={role.pk: role for role in roles},
    )


def declarable() -> Declarable:
    """The capabilities a staffing line can declare FTE for, and which each role holds with further training or
    as a core capability (one query)."""
    capabilities = {}
    further: dict[int, set[str]] = {}
    core: dict[int, set[str]] = {}
    for row in RoleCapability.objects.select_related("capability").order_by("capability__order", "capability__name"):
        slug = row.capability.slug
        if row.level == RoleCapability.Level.FURTHER_TRAINING:
            capabilities.setdefault(slug, row.capability)
            further.setdefault(row.role_id, set()).add(slug)
        else:
            core.setdefault(row.role_id, set()).add(slug)
    return Declarable(
        capabilities=capabilities,
        by_role={role_id: frozenset(slugs) for role_id, slugs in further.items()},
        core_by_role={role_id: frozenset(slugs) for role_id, slugs in core.items()},
    )
