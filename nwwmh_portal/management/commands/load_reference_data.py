"""Load the reference fixtures without undoing curators' work.

`loaddata` writes every fixture row over the database, so running it on a live site would put back every role,
case study and target as the file has it: a curator's edit, an archived case study, a corrected pay point, all
lost, with no history record. This command adds the rows that are missing (found by natural key) and leaves the
rows that exist alone; `--update` makes it write existing rows too, as `loaddata` does. Either way it runs in one
transaction, and running it twice changes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from nwwmh_portal import content_version

REFERENCE_DIR = Path(settings.BASE_DIR) / "fixtures" / "reference"


class Command(BaseCommand):
    help = "Add the reference data that is missing (fixtures/reference/*.yaml); existing rows are kept."

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*", help="fixture files (default: fixtures/reference/*.yaml)")
        parser.add_argument("--update", action="store_true", help="also overwrite rows that exist, as loaddata does")

    def handle(self, *args, fixtures, update, **options):
        paths = [Path(path) for path in fixtures] or sorted(REFERENCE_DIR.glob("*.yaml"))
        if not paths:
            raise CommandError(f"No fixtures in {REFERENCE_DIR}")
        added = kept = updated = 0
        connection = connections[DEFAULT_DB_ALIAS]
        with transaction.atomic(), connection.constraint_checks_disabled():
            deferred = []
            for path in paths:
                with path.open(encoding="utf-8") as stream:
                    for item in serializers.deserialize("yaml", stream, handle_forward_references=True):
                        model = type(item.object)
                        exists = item.object.pk is not None and model._base_manager.filter(pk=item.object.pk).exists()
                        if exists and not update:
                            kept += 1
                            continue
                        item.save()
                        if item.deferred_fields:
                            deferred.append(item)
                        added, updated = (added, updated + 1) if exists else (added + 1, updated)
            for item in deferred:
                item.save_deferred_fields()
            connection.check_constraints()
        content_version.bump()  # cached public pages and plan results are out of date
        self.stdout.write(f"Reference data: {added} added, {updated} updated, {kept} kept as they are.")
