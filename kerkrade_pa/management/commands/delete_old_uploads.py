"""Run the upload retention by hand (the daily beat task does the same)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from cycle.retention import uploads_retention_apply


class Command(BaseCommand):
    help = "Verwijder geüploade bronbestanden ouder dan de bewaartermijn (UPLOAD_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Bewaartermijn in dagen (standaard UPLOAD_RETENTION_DAYS).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.UPLOAD_RETENTION_DAYS if days is None else days
        result = uploads_retention_apply(days=days)
        self.stdout.write(
            f"Bronbestanden ouder dan {days} dagen verwijderd: "
            f"{result.stock_imports} woningvoorraad-imports, "
            f"{result.bid_uploads} uploads van biedingen."
        )
