from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from agreements import demo as agreements_demo


class Command(BaseCommand):
    help = (
        "Load the Kerkrade framework, its reference data and the demo accounts "
        "(all with password kerkrade-demo). Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            default=str(Path(settings.BASE_DIR) / "fixtures" / "kerkrade"),
            help="Folder with the municipality's fixture files.",
        )

    def handle(self, *args, **options):
        fixtures_dir = Path(options["fixtures"])
        with transaction.atomic():
            report = agreements_demo.load(fixtures_dir)
        for line in report:
            self.stdout.write(f"- {line}")
        self.stdout.write(self.style.SUCCESS("Demo-gegevens geladen."))
