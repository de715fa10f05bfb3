"""Sections that other apps add to a role profile, without the catalogue depending on them.

`settings.ROLE_PROFILE_SECTIONS` names callables (dotted paths); each takes the `Role` and returns a `Section` to
show after the role's own facts, or None. The planning workspace uses this to show national workforce figures
for a role: `roles` never imports `planning`.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from roles.models import Role


@dataclass(frozen=True)
class Section:
    template: str
    context: dict = field(default_factory=dict)


def sections_for(role: Role) -> list[Section]:
    providers = (import_string(path) for path in getattr(settings, "ROLE_PROFILE_SECTIONS", []))
    return [section for provider in providers if (section := provider(role)) is not None]


def rendered_sections(role: Role, request) -> list[SafeString]:
    """Each section's template rendered with its own context (autoescaped like any template)."""
    return [render_to_string(section.template, section.context, request) for section in sections_for(role)]
