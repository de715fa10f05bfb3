"""How complex a caseload a member of a role may hold, by band or grade: the one rule the catalogue shows and
team plans use (a plan's staffing line can override it).

A role has a ceiling (`Role.complexity_ceiling`, the most complex tier it may hold a caseload for) and, optionally,
the band or grade from which its staff hold that ceiling (`Role.full_ceiling_band`). Staff below that band hold
caseloads one tier less complex, never below routine: a newly qualified band 5 nurse in preceptorship holds moderate
needs, a band 6 nurse complex ones. Both are modelling defaults with a reason (`Role.ceiling_reason`) and, where one
exists, a source (`Role.ceiling_source_url`).
"""

from roles.bands import grade_label
from roles.models import ComplexityTier, Role


def complexity_ceiling_for(*, role: Role, band: int | None) -> int:
    """The most complex tier a member of `role` on `band` may hold a caseload for (the modelling default)."""
    ceiling = role.complexity_ceiling
    if role.full_ceiling_band is not None and band is not None and band < role.full_ceiling_band:
        return max(ComplexityTier.ROUTINE, ceiling - 1)
    return ceiling


def ceiling_rule_text(role: Role) -> str:
    """The rule in words, for the role page and the plan editor: "Complex from band 6; moderate below"."""
    ceiling = ComplexityTier(role.complexity_ceiling).label
    if role.full_ceiling_band is None or role.complexity_ceiling == ComplexityTier.ROUTINE:
        single_grade = role.band_min is not None and role.band_min == role.band_max and role.band_trainee is None
        return ceiling if single_grade else f"{ceiling} at every band"
    lower = ComplexityTier(role.complexity_ceiling - 1).label.lower()
    return f"{ceiling} from {grade_label(role.full_ceiling_band).lower()}; {lower} below"


def ceiling_explanation(*, role: Role, band: int | None) -> str:
    """Why a line of `role` on `band` gets its default ceiling, in one sentence (with the role's reason)."""
    tier = ComplexityTier(complexity_ceiling_for(role=role, band=band)).label.lower()
    where = f"on {grade_label(band).lower()}" if band is not None else ""
    sentence = f"{role.name} {where}: {tier} needs ({ceiling_rule_text(role).lower()})."
    sentence = sentence.replace("  ", " ")
    return f"{sentence} {role.ceiling_reason}".strip()


__all__ = ["ceiling_explanation", "ceiling_rule_text", "complexity_ceiling_for"]
