from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from agreements.signing.seal.certificate import demo_certificate_report

# Each app that has demo data offers `<app>.demo.load(fixtures_dir) -> list[str]`; they run in
# this order because later apps build on earlier ones (the cycle needs the framework).
DEMO_APPS = ["agreements", "housing_stock", "cycle"]


class Command(BaseCommand):
    help = (
        "Load the Kerkrade framework, stock tables, reference data, cycle and the demo accounts "
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
            for app in DEMO_APPS:
                if find_spec(f"{app}.demo") is None:
                    continue
                for line in import_module(f"{app}.demo").load(fixtures_dir):
                    self.stdout.write(f"- {line}")
        # A file, not a row: written after the data, outside the transaction.
        for line in demo_certificate_report():
            self.stdout.write(f"- {line}" if not line.startswith(" ") else line)
        self.stdout.write(self.style.SUCCESS("Demo-gegevens geladen."))
