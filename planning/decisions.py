"""Writes for the decisions a lead takes on a team's plans: agree a plan, reopen it, and make a scenario the
team's baseline. Views call these after scoping with `planning.selectors` (leads only, `edit=True`).

Like every write in `planning.services`, each one names the version of the plan the lead confirmed, and
happens only if the plan is still at that version (one conditional UPDATE): a stale confirmation raises
`PlanConflict` and writes nothing. Each is one transaction, and each leaves a history record with its reason.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from planning.models import Plan
from planning.presenters import person
from planning.services import _claim_version, _record

ALREADY_AGREED = "The plan is already agreed."
ALREADY_OPEN = "The plan is not agreed, so there is nothing to reopen."
ALREADY_BASELINE = "The plan is already a baseline."


@transaction.atomic
def agree_plan(*, plan: Plan, user, expected_version: int) -> Plan:
    """The plan becomes agreed (read only), recording who agreed it and when."""
    if plan.is_locked:
        raise ValidationError(ALREADY_AGREED)
    _claim_version(
        plan,
        expected_version=expected_version,
        user=user,
        status=Plan.Status.AGREED,
        agreed_by=user,
        agreed_at=timezone.now(),
    )
    plan.refresh_from_db()
    _record(plan, user, "Agreed")
    plan.save()
    return plan


@transaction.atomic
def reopen_plan(*, plan: Plan, user, expected_version: int) -> Plan:
    """An agreed plan becomes a draft again, so it can be changed. Who agreed it, and when, stays in the plan's
    history (the reason of the reopening record names them)."""
    if not plan.is_locked:
        raise ValidationError(ALREADY_OPEN)
    agreement = _agreement(plan)
    _claim_version(
        plan, expected_version=expected_version, user=user, status=Plan.Status.DRAFT, agreed_by=None, agreed_at=None
    )
    plan.refresh_from_db()
    _record(plan, user, f"Reopened{agreement}")
    plan.save()
    return plan


def _agreement(plan: Plan) -> str:
    if plan.agreed_at is None:
        return ""
    by = f" by {person(plan.agreed_by)}" if plan.agreed_by_id else ""
    return f" (agreed{by} on {timezone.localtime(plan.agreed_at):%d %B %Y})"


def change_status(*, plan: Plan, user, expected_version: int, status: str) -> Plan:
    """Agree the plan (`Plan.Status.AGREED`) or reopen it (`Plan.Status.DRAFT`)."""
    if status == Plan.Status.AGREED:
        return agree_plan(plan=plan, user=user, expected_version=expected_version)
    if status == Plan.Status.DRAFT:
        return reopen_plan(plan=plan, user=user, expected_version=expected_version)
    raise ValidationError("Choose whether to agree or reopen the plan.")


@transaction.atomic
def promote_to_baseline(*, plan: Plan, user, expected_version: int) -> Plan:
    """The scenario `plan` becomes its team's baseline: its old baseline becomes a scenario of it, and the old
    baseline's other scenarios become scenarios of it too. Nothing in any plan's figures changes; each plan
    whose place changes moves to its next version (so a page opened before the promotion is out of date) and
    gets a history record saying why."""
    if plan.scenario_of_id is None:
        raise ValidationError(ALREADY_BASELINE)
    old_baseline_id = plan.scenario_of_id
    _claim_version(plan, expected_version=expected_version, user=user, scenario_of=None)
    plan.refresh_from_db()
    _record(plan, user, "Made the baseline")
    plan.save()
    moved = Plan.objects.filter(pk=old_baseline_id) | Plan.objects.filter(scenario_of_id=old_baseline_id)
    ids = list(moved.exclude(pk=plan.pk).values_list("pk", flat=True))
    Plan.objects.filter(pk__in=ids).update(
        scenario_of=plan, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    for other in Plan.objects.filter(pk__in=ids):
        reason = "Became a scenario of" if other.pk == old_baseline_id else "Moved to the new baseline,"
        _record(other, user, f"{reason} {plan.name}")
        other.save()
    return plan
