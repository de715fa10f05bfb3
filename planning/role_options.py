"""The role picker's options for a staffing line: every catalogue role, grouped by family, each with its band
range (or "band not confirmed") and whether it is non-clinical, read once per request and shared by every row of
the editor (and by the plan's history)."""

from dataclasses import dataclass

from roles.bands import role_band_range_text
from roles.models import Role
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
