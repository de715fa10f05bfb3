"""Load the reference fixtures without undoing curators' work.

`loaddata` writes every fixture row over the database, so running it on a live site would put back every role,
case study and target as the file has it: a curator's edit, an archived case study, a corrected pay point, all
lost, with no history record. This command adds the rows that are missing (found by natural key) and leaves the
rows that exist alone. To take a corrected fact into a database that already has the old one:

- `--update` writes every existing row over with the file's version too, as `loaddata` does;
- `--update --only roles.role:physician-associate` (repeatable) writes over only the named objects. A role named
  this way is replaced with all its facts: its capabilities, training routes and sources are written from the
  file, and those of its rows that the file no longer has are removed. Every other existing row is kept as it is.

Either way it runs in one transaction (a name that matches nothing in the files changes nothing and fails), says
what it did, and running it twice changes nothing.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from nwwmh_portal import content_version

REFERENCE_DIR = Path(settings.BASE_DIR) / "fixtures" / "reference"
ROLE_LABEL = "roles.role"


def parse_target(text: str) -> tuple[str, str]:
    """ "app.model:natural-key" → ("app.model", "natural-key"); the model must exist."""
    label, sep, key = text.partition(":")
    label = label.strip().lower()
    if not sep or not key.strip():
        raise CommandError(f"--only {text!r}: write it as app.model:natural-key, e.g. {ROLE_LABEL}:physician-associate")
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        raise CommandError(f"--only {text!r}: no model {label!r}") from None
    return label, key.strip()


def natural_key_text(obj) -> str | None:
    """The object's natural key joined with ":", or None when it has none (or it points at a missing row)."""
    try:
        return ":".join(str(part) for part in obj.natural_key())
    except (AttributeError, ObjectDoesNotExist):
        return None


class Command(BaseCommand):
    help = "Add the reference data that is missing (fixtures/reference/*.yaml); existing rows are kept."

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*", help="fixture files (default: fixtures/reference/*.yaml)")
        parser.add_argument("--update", action="store_true", help="also overwrite rows that exist, as loaddata does")
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="APP.MODEL:KEY",
            help="with --update: overwrite only this object (repeatable), e.g. roles.role:physician-associate; "
            "a role is replaced with its capabilities, training routes and sources",
        )

    def handle(self, *args, fixtures, update, only, **options):
        if only and not update:
            raise CommandError("--only names the objects to overwrite: use it with --update")
        targets = {parse_target(text) for text in only}
        paths = [Path(path) for path in fixtures] or sorted(REFERENCE_DIR.glob("*.yaml"))
        if not paths:
            raise CommandError(f"No fixtures in {REFERENCE_DIR}")
        added = kept = updated = removed = 0
        found: set[tuple[str, str]] = set()
        target_role_ids: set[int] = set()
        saved_children: dict[type, set[int]] = {}
        connection = connections[DEFAULT_DB_ALIAS]
        with transaction.atomic(), connection.constraint_checks_disabled():
            deferred = []
            for path in paths:
                with path.open(encoding="utf-8") as stream:
                    for item in serializers.deserialize("yaml", stream, handle_forward_references=True):
                        obj = item.object
                        model = type(obj)
                        exists = obj.pk is not None and model._base_manager.filter(pk=obj.pk).exists()
                        targeted = self._targeted(obj, targets, found, target_role_ids)
                        if exists and not (update and (targeted or not targets)):
                            kept += 1
                            continue
                        item.save()
                        if item.deferred_fields:
                            deferred.append(item)
                        if model._meta.label_lower == ROLE_LABEL and (ROLE_LABEL, obj.slug) in targets:
                            target_role_ids.add(obj.pk)
                        if targeted and self._role_child(obj, target_role_ids):
                            saved_children.setdefault(model, set()).add(obj.pk)
                        added, updated = (added, updated + 1) if exists else (added + 1, updated)
            for item in deferred:
                item.save_deferred_fields()
            missing = targets - found
            if missing:
                names = ", ".join(f"{label}:{key}" for label, key in sorted(missing))
                raise CommandError(f"--only: nothing in the fixtures is {names}; nothing was changed")
            for model, pks in saved_children.items():
                stale = model._base_manager.filter(role_id__in=target_role_ids).exclude(pk__in=pks)
                removed += stale.count()
                stale.delete()
            connection.check_constraints()
        content_version.bump()  # cached public pages and plan results are out of date
        self.stdout.write(f"Reference data: {added} added, {updated} updated, {kept} kept as they are.")
        if targets:
            names = ", ".join(f"{label}:{key}" for label, key in sorted(targets))
            self.stdout.write(
                f"Replaced from the files: {names}; {removed} of their rows no longer in the files removed. "
                "Every other existing row was kept."
            )

    @staticmethod
    def _targeted(obj, targets, found, target_role_ids) -> bool:
        """Whether --only names this object, or the role it belongs to (a role's capabilities, routes, sources)."""
        if not targets:
            return False
        label = obj._meta.label_lower
        key = natural_key_text(obj) if label != ROLE_LABEL else obj.slug
        if key is not None and (label, key) in targets:
            found.add((label, key))
            return True
        return Command._role_child(obj, target_role_ids)

    @staticmethod
    def _role_child(obj, target_role_ids) -> bool:
        """A catalogue row that belongs to a role named by --only (its capabilities, training routes, sources)."""
        return obj._meta.app_label == "roles" and getattr(obj, "role_id", None) in target_role_ids
