"""Section 1, skill mix: how the team's FTE is made up by family, grade, registration and role. The band figures
(share at band 5+ and 8a+, mean band) count Agenda for Change lines only; medical FTE is its own staff group."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from planning.engine.constants import BAND_5, BAND_8A, TOLERANCE, band_code, is_afc
from planning.engine.formulas import mean_band_label, nearest_band_code, percentage
from planning.engine.inputs import StaffLine
from planning.engine.results import FteShare, SkillMix


def fte_shares(*, fte_by_key: Mapping[str, float]) -> list[FteShare]:
    total = math.fsum(fte_by_key.values())
    return [FteShare(key=key, fte=fte, share_pct=percentage(part=fte, whole=total)) for key, fte in fte_by_key.items()]


def fte_weighted_mean_band(*, fte_by_band: Mapping[int, float], total: float) -> float:
    """Σ FTE × rank ÷ Σ FTE, kept within the team's lowest and highest band (rounding could nudge it outside)."""
    mean = math.fsum(band * fte for band, fte in fte_by_band.items()) / total
    bands_present = [band for band, fte in fte_by_band.items() if fte > 0]
    return min(max(mean, min(bands_present)), max(bands_present))


def skill_mix(*, staff: Sequence[StaffLine], ftes: Sequence[float] | None = None) -> SkillMix:
    """Skill mix of the team, using `ftes` (one per line) instead of each line's FTE in post when given."""
    ftes = [line.fte for line in staff] if ftes is None else ftes
    total = math.fsum(ftes)
    by_family: dict[str, float] = {}
    by_band: dict[int, float] = {}
    for line, fte in zip(staff, ftes, strict=True):
        by_family[line.family] = by_family.get(line.family, 0.0) + fte
        by_band[line.band] = by_band.get(line.band, 0.0) + fte
    registered = math.fsum(fte for line, fte in zip(staff, ftes, strict=True) if line.registered)
    new_role = math.fsum(fte for line, fte in zip(staff, ftes, strict=True) if line.new_role)
    # The band figures count Agenda for Change lines only: medical grades are not on the AfC scale.
    afc_by_band = {band: fte for band, fte in by_band.items() if is_afc(band)}
    afc_total = math.fsum(afc_by_band.values())
    band_5_plus = math.fsum(fte for band, fte in afc_by_band.items() if band >= BAND_5)
    band_8a_plus = math.fsum(fte for band, fte in afc_by_band.items() if band >= BAND_8A)
    unregistered = total - registered
    mean_rank = None if afc_total <= 0 else fte_weighted_mean_band(fte_by_band=afc_by_band, total=afc_total)
    return SkillMix(
        total_fte=total,
        by_family=fte_shares(fte_by_key=by_family),
        by_band=fte_shares(fte_by_key={band_code(band): by_band[band] for band in sorted(by_band)}),
        registered_fte=registered,
        registered_pct=percentage(part=registered, whole=total),
        new_role_fte=new_role,
        new_role_pct=percentage(part=new_role, whole=total),
        band_5_plus_pct=percentage(part=band_5_plus, whole=afc_total),
        band_8a_plus_pct=percentage(part=band_8a_plus, whole=afc_total),
        registered_to_unregistered_ratio=None if unregistered <= TOLERANCE else registered / unregistered,
        mean_band_rank=mean_rank,
        mean_band_label=None if mean_rank is None else mean_band_label(rank=mean_rank),
        mean_band_nearest=None if mean_rank is None else nearest_band_code(rank=mean_rank),
        afc_fte=afc_total,
        medical_fte=total - afc_total,
    )


def fte_by_role(*, staff: Sequence[StaffLine], ftes: Sequence[float] | None = None) -> dict[str, float]:
    ftes = [line.fte for line in staff] if ftes is None else ftes
    totals: dict[str, float] = {}
    for line, fte in zip(staff, ftes, strict=True):
        totals[line.role_slug] = totals.get(line.role_slug, 0.0) + fte
    return totals


def role_names(*, staff: Sequence[StaffLine]) -> dict[str, str]:
    names: dict[str, str] = {}
    for line in staff:
        names.setdefault(line.role_slug, line.role_name)
    return names
