from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Afspraken")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from agreements.addenda import signing as addendum_signing  # noqa: F401 - registers addenda
        from agreements.models import Agreement, Framework, Target
        from agreements.signing import framework  # noqa: F401 - registers the framework as signable
        from agreements.signing.freeze import m2m_guard

        for through in (
            Framework.parties.through,
            Agreement.responsible_parties.through,
            Target.parties.through,
        ):
            m2m_changed.connect(
                m2m_guard, sender=through, dispatch_uid=f"frozen-{through.__name__}"
            )
