"""Four eyes on every published change: a change to public content is a `Revision` until a second person approves it.

A curator or publisher saving a public row in the admin (a role with its capabilities, training routes and sources, a
resource, a capability, a family, a regulator, a published case study), or adding one, proposes a revision: the
values they saved, as JSON, beside the values published at that moment. Nothing public changes. A publisher who did
not propose it approves it (the values are then written in one transaction, and the history names both people) or
rejects it with a reason; the proposer may withdraw it. If the published row changed in the meantime, approval is
refused and the change has to be proposed again against the new version, so no approved change is silently undone.

Drafts and case studies in review are not public, so they are edited directly (`roles.publishing` governs them).
`load_reference_data` writes rows directly: it is a deploy step, reviewed as code.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from roles.models import Capability, CaseStudy, Regulator, Resource, Revision, Role, RoleFamily
from roles.publishing import CHANGE_REASON_LENGTH

Status = Revision.Status
APPROVE_PERMISSION = "roles.approve_revision"
# Rows of these models are public as soon as they exist.
ALWAYS_REVIEWED = (Role, Resource, Capability, RoleFamily, Regulator)


def needs_review(*, instance: models.Model) -> bool:
    """Whether saving `instance` (new or changed) would change what the public sees."""
    if isinstance(instance, CaseStudy):
        return instance.pk is not None and _stored_status(instance) == CaseStudy.Status.PUBLISHED
    return isinstance(instance, ALWAYS_REVIEWED)


def _stored_status(case_study: CaseStudy) -> str | None:
    return CaseStudy.objects.filter(pk=case_study.pk).values_list("status", flat=True).first()


# --- Values as JSON -------------------------------------------------------------------------------------------


def _to_json(field: models.Field, value):
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        return str(Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places)))
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _from_json(field: models.Field, value):
    if value is None or field.is_relation:
        return value
    return field.to_python(value)


def _field_value(instance: models.Model, name: str):
    field = instance._meta.get_field(name)
    value = getattr(instance, field.attname) if field.is_relation else field.value_from_object(instance)
    return _to_json(field, value)


def _m2m_pks(instance: models.Model, name: str) -> list[int]:
    return sorted(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else []


def _row(instance: models.Model, fields: list[str]) -> dict:
    return {"id": instance.pk, **{name: _field_value(instance, name) for name in fields}}


@dataclass(frozen=True)
class InlineRows:
    """The rows of one inline (say a role's training routes) as the proposer left them."""

    model: type[models.Model]
    fk: str
    fields: list[str]
    rows: list[models.Model]


def proposal_from(
    *, instance: models.Model, fields: list[str], m2m: dict[str, list], inlines: list[InlineRows]
) -> dict:
    """The JSON a revision holds: `instance`'s unsaved values for `fields`, the chosen pks per many-to-many field,
    and each inline's rows (a row with an id changes that row; rows left out are deleted; a row without id is new)."""
    return {
        "fields": {name: _field_value(instance, name) for name in fields},
        "m2m": {name: sorted(obj.pk for obj in chosen) for name, chosen in m2m.items()},
        "inlines": [
            {
                "model": inline.model._meta.label_lower,
                "fk": inline.fk,
                "fields": inline.fields,
                "rows": sorted(
                    (_row(row, inline.fields) for row in inline.rows),
                    key=lambda row: (row["id"] is None, row["id"] or 0),
                ),
            }
            for inline in inlines
        ],
    }


def published_values(*, instance: models.Model, shape: dict) -> dict:
    """What is in the database now, in the shape of a proposal (so the two compare)."""
    return {
        "fields": {name: _field_value(instance, name) for name in shape["fields"]},
        "m2m": {name: _m2m_pks(instance, name) for name in shape["m2m"]},
        "inlines": [
            {
                **{key: inline[key] for key in ("model", "fk", "fields")},
                "rows": [_row(row, inline["fields"]) for row in _inline_queryset(instance, inline).order_by("pk")],
            }
            for inline in shape["inlines"]
        ],
    }


def _inline_queryset(parent: models.Model, inline: dict) -> models.QuerySet:
    return apps.get_model(inline["model"])._base_manager.filter(**{inline["fk"]: parent})


# --- Proposing and deciding -----------------------------------------------------------------------------------


def propose(*, instance: models.Model, proposed: dict, user: AbstractBaseUser, note: str = "") -> Revision | None:
    """Record a proposed change to `instance` (unsaved values are in `proposed`; `instance` may be new).
    Returns None, recording nothing, when the proposal is what is published already."""
    is_new = instance.pk is None
    base = None
    if not is_new:
        instance = type(instance)._base_manager.get(pk=instance.pk)
        base = published_values(instance=instance, shape=proposed)
        if not _differs(base, proposed):
            return None
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=None if is_new else instance.pk,
        object_repr=(_repr(instance, proposed) if is_new else str(instance))[:300],
        base=base,
        proposed=proposed,
        note=note.strip(),
        proposed_by=user,
    )


def _differs(base: dict, proposed: dict) -> bool:
    if base["fields"] != proposed["fields"] or base["m2m"] != proposed["m2m"]:
        return True
    return [inline["rows"] for inline in base["inlines"]] != [inline["rows"] for inline in proposed["inlines"]]


def _repr(instance: models.Model, proposed: dict) -> str:
    """A new row is named by its proposed name (a change keeps the published one)."""
    fields = proposed["fields"]
    for name in ("name", "title", "short_name", "slug"):
        if fields.get(name):
            return str(fields[name])
    return str(instance)


def refusal(*, revision: Revision, user: AbstractBaseUser) -> str | None:
    """Why `user` may not approve or reject `revision` now, or None if they may."""
    if revision.status != Status.PENDING:
        status = revision.get_status_display().lower()
        return f"This change is {status}; only a change waiting for approval can be decided."
    if not user.has_perm(APPROVE_PERMISSION):
        return "Only a publisher can approve or reject a change."
    if user.pk == revision.proposed_by_id:
        return "You proposed this change, so another publisher must approve it."
    return None


def pending_for(*, instance: models.Model) -> models.QuerySet:
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=instance.pk, status=Status.PENDING
    ).select_related("proposed_by")


def log_for(*, instance: models.Model) -> models.QuerySet:
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=instance.pk
    ).select_related("proposed_by", "decided_by")


def _locked(revision: Revision) -> Revision:
    return Revision.objects.select_for_update().select_related("content_type").get(pk=revision.pk)


@transaction.atomic
def approve(*, revision: Revision, user: AbstractBaseUser, comment: str = "") -> models.Model:
    """Publish the change: write its values in one transaction and record who approved it. Raises PermissionDenied
    (not allowed) or ValidationError (the published version changed since, or the values are no longer valid)."""
    revision = _locked(revision)
    reason = refusal(revision=revision, user=user)
    if reason:
        raise PermissionDenied(reason)
    model = revision.content_type.model_class()
    if revision.object_id is None:
        instance = model()
    else:
        instance = model._base_manager.select_for_update().filter(pk=revision.object_id).first()
        if instance is None:
            raise ValidationError("The row this change was made to no longer exists.")
        if not needs_review(instance=instance):
            raise ValidationError("This case study is no longer published: edit it in the publishing workflow.")
        if published_values(instance=instance, shape=revision.proposed) != revision.base:
            raise ValidationError(
                "The published version has changed since this change was proposed. Reject it, and propose the "
                "change again from the current version."
            )
    _apply(instance=instance, revision=revision, approver=user)
    revision.object_id = instance.pk
    revision.status = Status.APPROVED
    revision.decided_by = user
    revision.decided_at = timezone.now()
    revision.decision_comment = comment.strip()
    revision.save()
    return instance


def _apply(*, instance: models.Model, revision: Revision, approver: AbstractBaseUser) -> None:
    proposed = revision.proposed
    for name, value in proposed["fields"].items():
        field = instance._meta.get_field(name)
        setattr(instance, field.attname, _from_json(field, value))
    if isinstance(instance, CaseStudy):
        instance.updated_by_id = revision.proposed_by_id
    # Models with an edit history (simple_history) record the approver as the user and the proposer in the reason.
    instance._history_user = approver
    instance._change_reason = history_reason(revision=revision)
    instance.full_clean(exclude=list(proposed["m2m"]))
    instance.save()
    for name, pks in proposed["m2m"].items():
        getattr(instance, name).set(pks)
    for inline in proposed["inlines"]:
        _apply_rows(parent=instance, inline=inline)


def _apply_rows(*, parent: models.Model, inline: dict) -> None:
    model = apps.get_model(inline["model"])
    existing = {row.pk: row for row in _inline_queryset(parent, inline)}
    kept = {row["id"] for row in inline["rows"] if row["id"] is not None}
    model._base_manager.filter(pk__in=set(existing) - kept).delete()
    for values in inline["rows"]:
        row = existing.get(values["id"]) if values["id"] is not None else None
        if row is None:
            row = model(**{inline["fk"]: parent})
        for name in inline["fields"]:
            field = model._meta.get_field(name)
            setattr(row, field.attname, _from_json(field, values[name]))
        row.full_clean()
        row.save()


def history_reason(*, revision: Revision) -> str:
    text = f"Proposed by {revision.proposed_by}" + (f": {revision.note}" if revision.note else "")
    return text if len(text) <= CHANGE_REASON_LENGTH else text[: CHANGE_REASON_LENGTH - 1] + "…"


@transaction.atomic
def reject(*, revision: Revision, user: AbstractBaseUser, comment: str) -> Revision:
    revision = _locked(revision)
    reason = refusal(revision=revision, user=user)
    if reason:
        raise PermissionDenied(reason)
    if not comment.strip():
        raise ValidationError("Say why you are rejecting the change, so the proposer can act on it.")
    return _decide(revision=revision, user=user, status=Status.REJECTED, comment=comment)


@transaction.atomic
def withdraw(*, revision: Revision, user: AbstractBaseUser) -> Revision:
    revision = _locked(revision)
    if revision.status != Status.PENDING or revision.proposed_by_id != user.pk:
        raise PermissionDenied("Only the person who proposed a change can withdraw it, while it waits for approval.")
    return _decide(revision=revision, user=user, status=Status.WITHDRAWN, comment="")


def _decide(*, revision: Revision, user: AbstractBaseUser, status: str, comment: str) -> Revision:
    revision.status = status
    revision.decided_by = user
    revision.decided_at = timezone.now()
    revision.decision_comment = comment.strip()
    revision.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    return revision


# --- What a revision changes, for the reviewer ----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    published: str
    proposed: str


def changes(*, revision: Revision) -> list[Change]:
    """Each field, choice list and set of inline rows the revision changes: published text beside proposed text."""
    model = revision.content_type.model_class()
    base = revision.base or {"fields": {}, "m2m": {}, "inlines": []}
    proposed = revision.proposed
    found = []
    for name, value in proposed["fields"].items():
        before = base["fields"].get(name)
        if revision.base is None or before != value:
            field = model._meta.get_field(name)
            found.append(Change(_label(field), _display(field, before), _display(field, value)))
    for name, pks in proposed["m2m"].items():
        before = base["m2m"].get(name, [])
        if revision.base is None or sorted(before) != sorted(pks):
            field = model._meta.get_field(name)
            found.append(Change(_label(field), _display_many(field, before), _display_many(field, pks)))
    before_inlines = {inline["model"]: inline for inline in base["inlines"]}
    for inline in proposed["inlines"]:
        before = before_inlines.get(inline["model"], {"rows": []})["rows"]
        if _rows_key(before) != _rows_key(inline["rows"]):
            inline_model = apps.get_model(inline["model"])
            label = str(inline_model._meta.verbose_name_plural).capitalize()
            after = _display_rows(inline_model, inline, inline["rows"])
            found.append(Change(label, _display_rows(inline_model, inline, before), after))
    return found


def _rows_key(rows: list[dict]) -> list[str]:
    return sorted(json.dumps({k: v for k, v in row.items() if k != "id"}, sort_keys=True) for row in rows)


def _label(field: models.Field) -> str:
    return str(getattr(field, "verbose_name", field.name)).capitalize()


def _display(field: models.Field, value) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(_from_json(field, value), value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    return str(value)


def _display_many(field: models.Field, pks: list[int]) -> str:
    if not pks:
        return "—"
    return ", ".join(sorted(str(obj) for obj in field.related_model._base_manager.filter(pk__in=pks)))


def _display_rows(model: type[models.Model], inline: dict, rows: list[dict]) -> str:
    if not rows:
        return "—"
    lines = []
    for row in rows:
        parts = [_display(model._meta.get_field(name), row.get(name)) for name in inline["fields"]]
        lines.append(" · ".join(part for part in parts if part != "—"))
    return "\n".join(sorted(lines))
