from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Afspraken")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from agreements.addenda import signing as addendum_signing  # noqa: F401 - registers addenda
        from agreements.drafting import services as _drafting  # noqa: F401 - core.drafting adapter
        from agreements.signing import framework  # noqa: F401 - registers the framework as signable
        from agreements.signing.freeze import frozen_m2m_relations, m2m_guard
        from agreements.signing.seal import checks  # noqa: F401 - registers the seal's check

        # Every app is loaded here, so the relations of cycle's frozen models are found too.
        for through in frozen_m2m_relations():
            m2m_changed.connect(
                m2m_guard, sender=through, dispatch_uid=f"frozen-{through._meta.label}"
            )
