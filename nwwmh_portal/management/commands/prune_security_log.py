"""Deletes security log events older than a number of days (the retention period), e.g. from a daily cron job."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from nwwmh_portal.models import SecurityEvent


class Command(BaseCommand):
    help = "Delete security log events older than --days (default NWWMH_SECURITY_LOG_DAYS, 365)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.NWWMH_SECURITY_LOG_DAYS)

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days must be at least 1")
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} security log event(s) older than {days} days.")
