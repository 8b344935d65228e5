from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "cycle"
    verbose_name = _("Jaarcyclus")

    def ready(self) -> None:
        # Registers the jaarschijf with the signing registry of agreements.signing.
        from . import jaarschijf_signing  # noqa: F401
