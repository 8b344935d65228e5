"""The indicator catalogue: reference data loaded with the database, kept by an administrator in
the admin, and the demo framework's targets mapped onto it (its place in the signed content:
tests/agreements/signing/test_indicators.py)."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from agreements import demo, services
from agreements.indicators import catalogue_load, catalogue_rows
from agreements.models import Framework, Indicator, Target
from core.actors import DEMO_LOADER
from tests.factories import TargetFactory, UserFactory, indicator

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "kerkrade" / "framework_2021_2025.toml"

# The measures the issue names, each in the catalogue with how it is measured.
NAMED = {
    "passend-toewijzen": Indicator.Measure.PASSEND_PCT,
    "daeb-toewijzen": Indicator.Measure.DAEB_PCT,
    "vergunninghouders": Indicator.Measure.PERMIT_HOLDER_SHARE,
    "nultreden": Indicator.Measure.STOCK_NULTREDEN,
    "labels-efg": Indicator.Measure.STOCK_LABELS_EFG,
    "labelstappen": Indicator.Measure.CONTRIBUTIONS_SUM,
    "sloop": Indicator.Measure.CONTRIBUTIONS_SUM,
    "nieuwbouw": Indicator.Measure.CONTRIBUTIONS_SUM,
    "verkoop": Indicator.Measure.CONTRIBUTIONS_SUM,
    "aankoop": Indicator.Measure.CONTRIBUTIONS_SUM,
    "renovatie": Indicator.Measure.CONTRIBUTIONS_SUM,
    "uithuiszettingen": Indicator.Measure.NONE,
    "adviesgesprekken": Indicator.Measure.CONTRIBUTIONS_SUM,
    "leefbaarheid-per-daeb-woning": Indicator.Measure.NONE,
    "bat-toegankelijk": Indicator.Measure.NONE,
    "huurwoningen-onder-label-d": Indicator.Measure.STOCK_LABELS_EFG,
}


def test_the_migrated_database_has_the_catalogue():
    catalogue_load()  # a no-op after the data migration; back after a flush
    found = dict(Indicator.objects.values_list("code", "measure"))
    assert {code: found.get(code) for code in NAMED} == NAMED
    assert len(found) == len(catalogue_rows())


def test_national_targets_have_their_norm_and_date():
    efg = indicator("labels-efg")
    assert efg.national_value == 0 and efg.national_date.year == 2028
    assert indicator("huurwoningen-onder-label-d").national_date.isoformat() == "2029-01-01"
    assert indicator("passend-toewijzen").national_text == "landelijk: 95% passend"
    assert indicator("vergunninghouders").national_text == ""


def test_loading_again_keeps_an_administrators_edit():
    passend = indicator("passend-toewijzen")
    passend.name = "Passend toewijzen (aangepast)"
    passend.save()
    count = Indicator.objects.count()
    catalogue_load()
    assert Indicator.objects.count() == count
    assert Indicator.objects.get(code="passend-toewijzen").name == "Passend toewijzen (aangepast)"


# --- the admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="beheer", is_staff=True, is_superuser=True))
    return client


def test_admin_lists_the_catalogue(admin_client):
    indicator("passend-toewijzen")
    response = admin_client.get(reverse("admin:agreements_indicator_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Passend toewijzen" in html and "95% passend" in html


def test_admin_edits_an_indicator(admin_client):
    daeb = indicator("daeb-toewijzen")
    url = reverse("admin:agreements_indicator_change", args=[daeb.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "code": daeb.code,
            "name": daeb.name,
            "unit": daeb.unit,
            "direction": daeb.direction,
            "measure": daeb.measure,
            "description": daeb.description,
            "national_norm": "92,5% DAEB (nieuwe wet)",
            "national_value": "92.5",
            "national_date": "01-01-2027",
            "national_source": "Woningwet",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    daeb.refresh_from_db()
    assert daeb.national_norm == "92,5% DAEB (nieuwe wet)"
    assert daeb.national_date.isoformat() == "2027-01-01"


def test_admin_cannot_delete_an_indicator_a_target_points_at(admin_client):
    sloop = indicator("sloop")
    TargetFactory(indicator=sloop)
    response = admin_client.post(
        reverse("admin:agreements_indicator_delete", args=[sloop.pk]), {"post": "yes"}
    )
    assert response.status_code == 200  # the page says what protects it
    assert Indicator.objects.filter(pk=sloop.pk).exists()


# --- the demo framework is mapped onto the catalogue -------------------------------------------


def _fixture() -> dict:
    return tomllib.loads(FIXTURE.read_text(encoding="utf-8"))


def test_load_demo_maps_the_kerkrade_targets_onto_the_catalogue():
    # The agreements part of load_demo: parties, the catalogue, the framework, the accounts.
    report = demo.load(FIXTURE.parent)
    assert any("indicatoren in de catalogus" in line for line in report)
    framework = Framework.objects.get(slug="kerkrade-2021-2025")
    mapped = dict(
        Target.objects.filter(agreement__theme__framework=framework).values_list(
            "code", "indicator__code"
        )
    )
    assert mapped["passend-toewijzen"] == "passend-toewijzen"
    # The DAEB band and the two nultreden targets: related by sharing an indicator.
    assert mapped["daeb-toewijzen"] == mapped["daeb-toewijzen-lokaal"] == "daeb-toewijzen"
    assert mapped["nultreden"] == mapped["nultreden-toename"] == "nultreden"
    assert mapped["starterslening-koopsom"] is None


def test_import_with_an_unknown_indicator_is_refused_and_writes_nothing():
    demo.load(FIXTURE.parent)
    data = copy.deepcopy(_fixture())
    data["framework"]["title"] = "Gewijzigde titel"
    data["themes"][0]["agreements"][1]["targets"][0]["indicator"] = "bestaat-niet"
    with pytest.raises(ValueError, match="Onbekende indicator: bestaat-niet"):
        services.framework_import(actor=DEMO_LOADER, data=data)
    assert Framework.objects.get(slug="kerkrade-2021-2025").title != "Gewijzigde titel"
