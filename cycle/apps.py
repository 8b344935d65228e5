from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "cycle"
    verbose_name = _("Jaarcyclus")

    def ready(self) -> None:
        # Registers the jaarschijf and the evaluation with the signing registry of
        # agreements.signing (the evaluation module also connects its freeze guards); the
        # jaarschijf's services, imported by its signing module, register it with core.drafting.
        from cycle.endevaluation import baselines as _baselines  # noqa: F401 - next baselines
        from cycle.endevaluation import signing as _end_evaluation  # noqa: F401
        from cycle.evaluation import signing as _evaluation  # noqa: F401
        from cycle.jaarschijf import signing as _jaarschijf  # noqa: F401
