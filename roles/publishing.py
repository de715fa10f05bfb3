"""The case study publishing workflow: the only code that changes a case study's status.

draft -> in review -> published -> archived; in review can go back to draft (with a reason); archived can be
restored to draft. A publisher cannot publish a case study they wrote or last edited.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from roles.models import CaseStudy, CaseStudyTransition

Status = CaseStudy.Status
CHANGE_REASON_LENGTH = CaseStudy.history.model._meta.get_field("history_change_reason").max_length


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    source: str
    target: str
    permission: str
    needs_comment: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", "Submit for review", Status.DRAFT, Status.IN_REVIEW, "roles.submit_casestudy"),
        Transition("publish", "Publish", Status.IN_REVIEW, Status.PUBLISHED, "roles.publish_casestudy"),
        Transition("send_back", "Send back to draft", Status.IN_REVIEW, Status.DRAFT, "roles.publish_casestudy", True),
        Transition("archive", "Archive", Status.PUBLISHED, Status.ARCHIVED, "roles.publish_casestudy"),
        Transition("restore", "Restore to draft", Status.ARCHIVED, Status.DRAFT, "roles.publish_casestudy"),
    ]
}


def refusal(*, case_study: CaseStudy, transition: Transition, user: AbstractBaseUser) -> str | None:
    """Why `user` may not make `transition` now, or None if they may."""
    if case_study.status != transition.source:
        return f"A case study that is {case_study.get_status_display().lower()} cannot be moved this way."
    if not user.has_perm(transition.permission):
        return "You do not have permission to do this."
    if transition.name == "publish" and user.pk in (case_study.created_by_id, case_study.updated_by_id):
        return "You wrote or last edited this case study, so another publisher must approve it."
    return None


def available_transitions(*, case_study: CaseStudy, user: AbstractBaseUser) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if refusal(case_study=case_study, transition=t, user=user) is None]


def can_edit(*, case_study: CaseStudy | None, user: AbstractBaseUser) -> bool:
    """Drafts are edited in place. A change to a published story is a proposal (`roles.revisions`) that another
    publisher approves, so curators and publishers alike may propose one. Stories in review or archived are
    read-only."""
    if not user.has_perm("roles.change_casestudy"):
        return False
    return case_study is None or case_study.status in (Status.DRAFT, Status.PUBLISHED)


@transaction.atomic
def apply_transition(*, case_study: CaseStudy, name: str, user: AbstractBaseUser, comment: str = "") -> CaseStudy:
    """Make the transition, or raise PermissionDenied / ValidationError. Records who, when and why."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError("There is no such step in the publishing workflow.")
    # Lock the row so two publishers acting at once cannot both move it.
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    reason = refusal(case_study=case_study, transition=transition, user=user)
    if reason:
        raise PermissionDenied(reason)
    comment = comment.strip()
    if transition.needs_comment and not comment:
        raise ValidationError("Say why you are sending the case study back, so the author can act on it.")
    case_study.status = transition.target
    if transition.target == Status.PUBLISHED:
        case_study.published_by = user
        case_study.published_at = timezone.now()
    # The whole comment is kept in the transition log; the history record has room for its start.
    case_study._change_reason = _history_reason(f"{transition.label}: {comment}" if comment else transition.label)
    case_study._history_user = user
    case_study.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    CaseStudyTransition.objects.create(
        case_study=case_study,
        action=transition.name,
        from_status=transition.source,
        to_status=transition.target,
        by=user,
        comment=comment,
    )
    return case_study


def needs_change_note(*, case_study: CaseStudy, edited: bool) -> bool:
    """A published story's readers may have relied on it, so every change to it says what and why."""
    return edited and case_study.pk is not None and case_study.status == Status.PUBLISHED


def record_edit(*, case_study: CaseStudy, user: AbstractBaseUser, is_new: bool, note: str = "") -> None:
    """Stamp the author and last editor, and the note, before a content save (the save makes the history record)."""
    if is_new:
        case_study.created_by = user
    case_study.updated_by = user
    if note.strip():
        case_study._change_reason = _history_reason(note.strip())


def _history_reason(text: str) -> str:
    """The history's reason column holds CHANGE_REASON_LENGTH characters."""
    return text if len(text) <= CHANGE_REASON_LENGTH else text[: CHANGE_REASON_LENGTH - 1] + "…"
