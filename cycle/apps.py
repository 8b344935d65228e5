from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "cycle"
    verbose_name = _("Jaarcyclus")

    def ready(self) -> None:
        # Registers the jaarschijf and the evaluation with the signing registry of
        # agreements.signing (the evaluation module also connects its freeze guards).
        from . import evaluation_signing, jaarschijf_signing  # noqa: F401
