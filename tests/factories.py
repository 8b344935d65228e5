"""Factories of the agreements app (factory_boy).

Every factory makes a valid row on its own; pass what a test cares about and leave the rest.
Many-to-many fields are post-generation hooks that take a list of parties:

    framework = FrameworkFactory(parties=[gemeente, corporatie])
    agreement = AgreementFactory(theme=theme, responsible=[corporatie])
    target = TargetFactory(agreement=agreement, parties=[corporatie])
"""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from agreements.indicators import catalogue_load
from agreements.models import (
    Agreement,
    Framework,
    FrameworkSignatory,
    Indicator,
    Membership,
    Party,
    ProcessStep,
    Target,
    Theme,
)

DEFAULT_PASSWORD = "geheim-voor-tests"


class PartyFactory(DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Woningcorporatie {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Party.Kind.CORPORATION


class MunicipalityFactory(PartyFactory):
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    kind = Party.Kind.MUNICIPALITY


class TenantOrganisationFactory(PartyFactory):
    name = factory.Sequence(lambda n: f"Huurdersvereniging {n}")
    kind = Party.Kind.TENANT_ORGANISATION


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(DEFAULT_PASSWORD)


class MembershipFactory(DjangoModelFactory):
    """A user with a party and a role: MembershipFactory(role=..., party=...).user"""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    party = factory.SubFactory(PartyFactory)
    role = Membership.Role.MEMBER


class FrameworkFactory(DjangoModelFactory):
    """A framework; its parties default to its municipality alone."""

    class Meta:
        model = Framework
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Meerjarig kader {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    period_start = 2021
    period_end = 2025
    status = Framework.Status.ADOPTED
    introduction = "Samen werken we aan een thuis voor iedereen."

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if not create:
            return
        self.parties.set(extracted if extracted is not None else [self.municipality])


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    framework = factory.SubFactory(FrameworkFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Thema {n + 1}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    introduction = ""


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    theme = factory.SubFactory(ThemeFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Afspraak {n + 1}")
    text = factory.Sequence(lambda n: f"Tekst van afspraak {n + 1}.")

    @factory.post_generation
    def responsible(self, create, extracted, **kwargs):
        if create and extracted:
            self.responsible_parties.set(extracted)


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    code = factory.Sequence(lambda n: f"doel-{n}")
    label = factory.Sequence(lambda n: f"Doel {n}")
    kind = Target.Kind.VALUE
    direction = Target.Direction.EXACTLY
    value = Decimal("100")
    unit = "woningen"

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create and extracted:
            self.parties.set(extracted)


def indicator(code: str) -> Indicator:
    """An indicator of the catalogue (fixtures/indicators.toml). The data migration loads the
    catalogue, but a transactional test flushes it: load it again (idempotent)."""
    found = Indicator.objects.filter(code=code).first()
    if found is None:
        catalogue_load()
        found = Indicator.objects.get(code=code)
    return found


class ProcessStepFactory(DjangoModelFactory):
    class Meta:
        model = ProcessStep

    framework = factory.SubFactory(FrameworkFactory)
    order = factory.Sequence(lambda n: n + 1)
    period_label = factory.Sequence(lambda n: f"Stap {n + 1}")
    description = "Werkgroep doet iets."
    deliverable = factory.Sequence(lambda n: f"Resultaat {n + 1}")


class FrameworkSignatoryFactory(DjangoModelFactory):
    class Meta:
        model = FrameworkSignatory

    framework = factory.SubFactory(FrameworkFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"A. Ondertekenaar {n}")
    job_title = "wethouder"


def framework_with_content(
    *,
    themes: int = 6,
    agreements_per_theme: int = 5,
    targets_per_agreement: int = 2,
    framework: Framework | None = None,
) -> Framework:
    """A framework filled with themes, agreements and targets, each naming parties.

    Call it again with the same framework to add more agreements to its themes (numbers go on),
    which is how the query-count tests grow the data tenfold.
    """
    if framework is None:
        municipality = MunicipalityFactory()
        corporation = PartyFactory()
        tenants = TenantOrganisationFactory()
        framework = FrameworkFactory(
            municipality=municipality, parties=[municipality, corporation, tenants]
        )
        ProcessStepFactory.create_batch(3, framework=framework)
        FrameworkSignatoryFactory(framework=framework, party=municipality)
    parties = list(framework.parties.all())
    existing = {theme.number: theme for theme in framework.themes.all()}
    for number in range(1, themes + 1):
        theme = existing.get(number) or ThemeFactory(
            framework=framework, number=number, title=f"Thema {number}", slug=f"thema-{number}"
        )
        start = theme.agreements.count()
        for a in range(start + 1, start + agreements_per_theme + 1):
            agreement = AgreementFactory(
                theme=theme, number=a, responsible=parties[: 1 + a % len(parties)]
            )
            for t in range(1, targets_per_agreement + 1):
                TargetFactory(
                    agreement=agreement,
                    code=f"doel-{t}",
                    order=t,
                    # Odd targets name one party; even ones name none (then the agreement's
                    # responsible parties are the ones concerned).
                    parties=[parties[a % len(parties)]] if t % 2 else [],
                )
    return framework


TEST_TOTP_SEED = b"test-totp-seed-20byt"


def otp_code(user) -> str:
    """A valid code of the user's authenticator right now, as their app would show it.

    Gives the user a confirmed device (test seed) when they have none; the demo accounts keep
    load_demo's. Each call stands for a fresh 30-second window: the device's record of the last
    accepted code is cleared, so a test may sign more than once in the same half minute (that
    a code is accepted only once is tested in tests/agreements/twofactor).
    """
    from django_otp.oath import TOTP

    from agreements.twofactor.models import AuthenticatorDevice

    device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        AuthenticatorDevice.objects.filter(user=user).delete()
        device = AuthenticatorDevice(user=user, name="Test-app", confirmed=True)
        device.seed = TEST_TOTP_SEED
        device.save()
    AuthenticatorDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{TOTP(device.seed).token():06d}"
