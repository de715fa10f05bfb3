"""`manage.py backup_data FILE`: the whole database in one file (SQLite backup API, or pg_dump on PostgreSQL)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nwwmh_portal import backups


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE (readable by its owner only). It holds password hashes and sessions: "
        "encrypt it before it leaves the machine (see the README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a new file to write (never overwritten)")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, file, database, **options):
        try:
            kind = backups.backup(path=file, alias=database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up the {kind} database to {file} ({file.stat().st_size} bytes).")
