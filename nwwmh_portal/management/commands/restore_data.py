"""`manage.py restore_data FILE`: restore a backup made by backup_data into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nwwmh_portal import backups


class Command(BaseCommand):
    help = (
        "Restore FILE (made by backup_data) into an empty database: the configured one (DATABASE_URL), or the one "
        "given by --database-url. A database that already has tables is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument(
            "--database-url", help="restore into this database instead (postgres://… or sqlite:////path/file)"
        )

    def handle(self, *args, file, database, database_url, **options):
        try:
            kind = backups.restore(path=file, alias=database, url=database_url)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored the {kind} backup {file}. Run `manage.py migrate` if the code is newer.")
