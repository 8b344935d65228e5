"""The Kerkrade framework in the database says what the seed document says, figure by figure.

The fixture fixtures/kerkrade/framework_2021_2025.toml is a transcription of the customer's
framework text (shared/seeds/000_00ca94dd43e55af4.txt). These tests load it the way a newcomer
does (``load_demo``) and check every theme, agreement, target, process step and signatory, plus
key sentences of the seed. Where the seed document is available, figures are also read from the
seed itself, so a figure that is in the seed but missing from the database fails a test.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from agreements.models import Agreement, Framework, Target

pytestmark = pytest.mark.django_db

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = PROJECT_ROOT.parent / "shared" / "seeds" / "000_00ca94dd43e55af4.txt"
SEED_MISSING = f"seed document not found at {SEED_PATH} (it lives beside the checkout)"

FRAMEWORK_SLUG = "kerkrade-2021-2025"
GEMEENTE = "gemeente-kerkrade"
CORPORATIONS = {"heemwonen", "wonen-zuid", "wonen-limburg"}
TENANT_ORGANISATIONS = {"huurdersorganisatie-heemwonen", "huurdersorganisatie-wonen-zuid"}
ALL_PARTIES = {GEMEENTE} | CORPORATIONS | TENANT_ORGANISATIONS


@pytest.fixture(scope="module")
def framework(django_db_setup, django_db_blocker) -> Framework:
    """load_demo once for the whole module, inside a transaction rolled back at the end.

    Each test still runs in its own savepoint (pytest-django), so a test cannot disturb another.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield Framework.objects.get(slug=FRAMEWORK_SLUG)
        transaction.set_rollback(True)


def agreement(framework: Framework, code: str) -> Agreement:
    theme_number, number = code.split(".")
    return Agreement.objects.get(
        theme__framework=framework, theme__number=int(theme_number), number=int(number)
    )


def target(framework: Framework, code: str) -> Target:
    return Target.objects.get(agreement__theme__framework=framework, code=code)


def all_texts(framework: Framework) -> list[str]:
    texts = [framework.introduction, framework.highlights, framework.appendix]
    for theme in framework.themes.all():
        texts.append(theme.introduction)
        texts.extend(theme.agreements.values_list("text", flat=True))
    texts.extend(framework.process_steps.values_list("description", flat=True))
    return texts


def phrase_id(value: object) -> str:
    """A short, readable ASCII test id for a Dutch phrase: "de-komende-5-jaar-verwachten-..."."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^\w.,%+]+", "-", text.lower()).strip("-")
    return slug[:60].rstrip("-")


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------------- framework


def test_framework_title_period_and_status(framework):
    assert framework.title == "Lokaal meerjarig kader prestatieafspraken Kerkrade 2021-2025"
    assert (framework.period_start, framework.period_end) == (2021, 2025)
    assert framework.status == Framework.Status.ADOPTED
    assert framework.municipality.slug == GEMEENTE


def test_framework_was_agreed_on_15_december_2021_in_kerkrade(framework):
    assert framework.agreed_on == dt.date(2021, 12, 15)
    assert framework.agreed_place == "Kerkrade"


def test_framework_parties_are_the_six_parties_and_not_meander(framework):
    assert set(framework.parties.values_list("slug", flat=True)) == ALL_PARTIES


def test_introduction_is_the_whole_inleiding(framework):
    intro = framework.introduction
    assert intro.startswith(
        "De gemeente, de woningcorporaties en de huurdersorganisaties zijn er voor iedereen die "
        "in de gemeente Kerkrade niet zelfstandig een eigen thuis kan organiseren."
    )
    assert intro.endswith("Samen maken wij het verschil!")
    assert len(intro.split("\n\n")) == 7


def test_introduction_keeps_the_nb_about_the_corporations_budgets(framework):
    assert (
        "NB: cijfers die door corporaties zijn aangeleverd en die in deze meerjarige afspraken "
        "zijn opgenomen zijn afkomstig uit de nog goed te keuren begrotingen 2021 tot en met 2030 "
        "van de corporaties." in framework.introduction
    )


@pytest.mark.parametrize(
    "phrase",
    [
        "478 woningen sloop",
        "515 woningen nieuwbouw",
        "35 woningen verkoop",
        "125 woningen aankoop",
        "332 woningen renovatie",
        "Momenteel zijn 3.590 corporatiewoningen nultreden (minimaal wandelstokgeschikt)",
        "Daar komen in de periode 2021 - 2030 nog minimaal 410 bij",
        "Van 3.590 naar 4.000 (+11%)",
        "Bleijerheide (Super Local), Rolduckerveld en Eygelshoven",
        "we werken toe naar een CO2-neutrale voorraad in 2050",
        "We beperken de stijging van de woonlasten",
        "Sleutelwoorden in deze samenwerking zijn; transparant",
        "We zetten samen met onze zorgpartners in op toekomstbestendige en inclusieve buurten",
    ],
    ids=phrase_id,
)
def test_highlights_carry_the_one_page_summary(framework, phrase):
    assert phrase in framework.highlights


def test_highlights_are_grouped_under_six_headings(framework):
    headings = [line for line in framework.highlights.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Transitie voorraad",
        "## Betaalbaarheid",
        "## Duurzaamheid",
        "## Wonen en zorg",
        "## Sociaal maatschappelijk",
        "## Samenwerking",
    ]


@pytest.mark.parametrize(
    "phrase",
    [
        "kwaliteitskortingsgrens (€ 432,51)",
        "eerste aftoppingsgrens (€ 619,01)",
        "tweede aftoppingsgrens (€ 663,40)",
        "liberaliseringsgrens (€ 737,14)",
        "1-persoons huishouden max. € 23.225",
        "2- en meerpersoons huishouden max. € 31.550",
        "1e DAEB inkomensgrens: € 39.055,-",
        "2e DAEB inkomensgrens: € 43.574,-",
        "tenminste 92,5% van alle (op)nieuw te verhuren woningen",
        "€35.938 voor eenpersoonshuishoudens en €43.126 voor meerpersoonshuishoudens",
        "maximaal 7,5% aan huishoudens",
        "mag de 7,5% worden opgetrokken tot maximaal 15,0%",
        "moet bij tenminste 95% van verhuringen",
        "Op termijn willen we helemaal géén woningen met energielabels E, F of G meer.",
        "corporaties in 2022 100.000 sociale huurwoningen gasloos maken",
        "BAT-score 4: Geschikt voor verpleegzorg thuis. Extra ruime rolstoelwoning.",
    ],
    ids=phrase_id,
)
def test_appendix_keeps_the_figures_of_the_bijlage(framework, phrase):
    assert phrase in framework.appendix


def test_appendix_has_a_subheading_per_toelichting(framework):
    headings = [line[3:] for line in framework.appendix.splitlines() if line.startswith("## ")]
    assert [heading.split(" (thema")[0] for heading in headings] == [
        "Toelichting op realisatie van transitiestrategieën",
        "Toelichting op betaalbaarheidsklassen en indicatie doelgroepen, prijspeil 2020",
        "Wettelijke inkomensgrenzen doelgroep van beleid per 01-01-2020",
        "Wettelijke eisen rond toewijzing van sociale huurwoningen",
        "Verbeteren van de energetische kwaliteit en verduurzamen van woningen",
        "Toelichting op toe en doorgankelijke woningen",
    ]


# ------------------------------------------------------------------------ themes, agreements

THEMES = {
    1: (
        "Beschikbaarheid en vastgoedtransitie",
        [
            "Aanbod sociale huurwoningvoorraad",
            "Transitie sociale huurwoningvoorraad",
            "Tijdelijke woonvormen",
            "Woonruimteverdeling",
        ],
    ),
    2: (
        "Betaalbaarheid",
        [
            "Betaalbare huren",
            "Middeldure huurwoningen",
            "Passend toewijzen",
            "Woonlasten beheersen",
            "Woonlasten verlagen door duurzaamheidsinvesteringen",
            "Informatievoorziening",
            "Vroegsignalering en voorkomen betalingsproblematiek en uithuiszetting",
        ],
    ),
    3: (
        "Duurzaamheid en kwaliteit",
        [
            "Fysieke omgeving: CO2-reductie",
            "Regionale Energiestrategie en Transitie Visie Warmte",
            "Duurzaamheidsambities corporatiewoningen",
            "Waar mogelijk extra verduurzamen",
            "Duurzaam materiaalgebruik",
            "Inzicht in voortgang verduurzaming",
            "Meenemen van particuliere woningeigenaren",
            "Klimaatadaptatie",
        ],
    ),
    4: (
        "Wonen met zorg en maatschappelijke doelgroepen",
        [
            "Opgave wonen en zorg in beeld",
            "Samenwerking ouderenhuisvesting en wonen met zorg",
            "Wet maatschappelijke ondersteuning (Wmo)",
            "Doelgroepen met een specifieke zorgvraag",
            "Uitstroom beschermd wonen en maatschappelijke opvang",
            "Huisvesting en begeleiding vergunninghouders",
            "Overige doelgroepen",
        ],
    ),
    5: (
        "Leefbaarheid",
        ["Fysieke omgeving", "Sociale omgeving", "Veiligheid", "Inzet van middelen"],
    ),
    6: (
        "Samenwerking en informatie-uitwisseling",
        [
            "Samenwerkingsafspraken",
            "Procesafspraken",
            "Afspraken over informatie-uitwisseling",
        ],
    ),
}


def test_there_are_exactly_six_themes_in_order(framework):
    assert list(framework.themes.order_by("number").values_list("number", "title")) == [
        (number, title) for number, (title, _) in THEMES.items()
    ]


@pytest.mark.parametrize(
    "theme_number,expected_titles",
    [pytest.param(number, titles, id=f"thema-{number}") for number, (_, titles) in THEMES.items()],
)
def test_each_theme_has_its_numbered_agreements(framework, theme_number, expected_titles):
    theme = framework.themes.get(number=theme_number)
    assert list(theme.agreements.order_by("number").values_list("number", "title")) == list(
        enumerate(expected_titles, start=1)
    )


@pytest.mark.parametrize(
    "theme_number,opening",
    [
        (1, "Als gevolg van demografische, economische en maatschappelijke ontwikkelingen"),
        (2, "Sociale huurwoningen zijn er voor mensen die niet zelfstandig terecht kunnen"),
        (3, "Wij hechten belang aan het verduurzamen van de woningvoorraad, energiebesparing"),
        (4, "De vraag naar wonen met zorg neemt toe."),
        (5, "Leefbare kernen en wijken zijn van groot belang voor het welzijn"),
        (6, "Om de volkshuisvestelijke doelen in Kerkrade te realiseren, werken we"),
    ],
    ids=[f"thema-{n}" for n in range(1, 7)],
)
def test_theme_introduction_is_the_opening_text_of_the_section(framework, theme_number, opening):
    assert framework.themes.get(number=theme_number).introduction.startswith(opening)


@pytest.mark.parametrize(
    "code,sentence",
    [
        ("1.1", "is de maximale koopsom verhoogd tot € 190.000."),
        ("1.1", "De tabel staat bij de woningvoorraad (peildatum 01-01-2020, 7.452 woningen"),
        ("1.2", "De komende 5 jaar verwachten we 478 woningen te slopen."),
        (
            "1.2",
            "De komende 5 jaar zetten de corporaties in op het bouwen van 515 nieuwe woningen "
            "(grotendeels ter vervanging van bestaande woningen).",
        ),
        (
            "1.2",
            "De komende 5 jaar verwachten de corporaties 35 woningen uit de bestaande voorraad te "
            "verkopen.",
        ),
        (
            "1.2",
            "De komende 5 jaar verwachten de corporaties 125 bestaande koopwoningen aan te kopen.",
        ),
        ("1.2", "De komende 5 jaar verwachten de corporaties 332 woningen te renoveren."),
        (
            "1.2",
            "* Genoemd aantal betreft het t/m 2025 door de gezamenlijke corporaties te realiseren "
            "aantal woningen.",
        ),
        (
            "1.2",
            "Wonen Limburg is een onderzoek gestart naar 16 complexen van samen 204 woningen in "
            "Eygelshoven",
        ),
        ("1.2", "sturen op een conditiescore van 3 of hoger."),
        ("1.2", "Voor HEEMwonen zijn dat na sloop van de beide flats Hertogenlaan 105 eenheden."),
        ("1.3", "bijvoorbeeld ‘tiny houses’ om aan de vraag van de markt te voldoen."),
        ("1.4", "Gemiddeld komen elk jaar circa 8% van de corporatiewoningen vrij"),
        ("2.1", "Corporaties zetten in op beperking van de stijging van netto huur, bij voorkeur"),
        ("2.1", "61,0% betaalbaar 1"),
        ("2.2", "tijdelijk vervallen van de markttoets voor dit segment (2021-2023)"),
        ("2.3", "Daarbij voldoen we tenminste aan de eisen van passend en Europees toewijzen"),
        ("2.4", "HEEMwonen doet in 2021 de eerste ervaringen op met het woonlastenbeleid."),
        ("2.5", "bijvoorbeeld middels het grondprijsbeleid, beperken van legeskosten"),
        ("2.6", "Doel is om 100 adviesgesprekken per jaar te voeren."),
        ("2.7", "Doel is om jaarlijks 150-200 meldingen en signalen te kunnen oppakken."),
        ("3.1", "ten opzichte van 1990 49% reductie in 2030 en 95% reductie in 2050."),
        ("3.1", "(gemiddeld ruim €50.000 per woning)"),
        ("3.1", "Wij willen bereiken dat woningen in 2050 CO2-neutraal zijn."),
        ("3.1", "7.386 woningen met een energielabel"),
        (
            "3.2",
            "tenminste één buurt of een gedeelte van één buurt als kansrijk wordt aangemerkt om "
            "voor 2030 aardgasvrij/ready te worden.",
        ),
        ("3.4", "de BENG-eisen per 1 januari 2021"),
        ("3.5", "passen wij zoveel mogelijk materialen toe met een milieukeurmerk."),
        ("3.8", "wateroverlast, droogte en hittestress."),
        ("4.1", "De totale opgave voor 2030 – afgerond op 5-tallen - is berekend op:"),
        ("4.1", "- BAT 4 Verpleegzorg geschikt: 727 (+245)"),
        ("4.1", "12% doorstroming uit de particuliere sector"),
        ("4.1", "- de prioritering van doelgroepen;"),
        ("4.3", "In Kerkrade kennen we al sinds 2015 goed functionerende werkafspraken"),
        ("4.4", "verstandelijk gehandicapten en GGZ-cliënten."),
        ("4.5", "ex-gedetineerden, ex-psychiatrische patiënten, ex-verslaafden"),
        (
            "4.6",
            "Hiervoor stellen wij maximaal 10% van het opnieuw te verhuren woningaanbod "
            "beschikbaar.",
        ),
        ("4.7", "de RWTH Aken, de JFC Brunssum-Eygelshoven en de campussen in Zuid-Limburg."),
        ("5.1", "Chevremont (Akkerheide)"),
        ("5.2", "het sociaal programma Rolduckerveld."),
        ("5.3", "de toepassing van het gemeentelijk Damoclesbeleid."),
        ("5.4", "maximaal een wettelijk vastgesteld bedrag per DAEB-woning per jaar"),
        ("6.1", "- Elkaar aanspreken op het niet nakomen van gemaakte afspraken."),
        ("6.2", "- stelt jaarlijks voor 1 december de jaarschijf op"),
        ("6.2", "- Vóór 1 juli: Corporaties sturen het overzicht van voorgenomen bijdragen"),
        (
            "6.2",
            "Tussentijdse bijstelling van de afspraken in dit meerjarig kader is mogelijk als alle "
            "partijen hiermee instemmen.",
        ),
        ("6.3", "- Bij het delen van informatie nemen we de geldende privacywetgeving in acht."),
    ],
    ids=phrase_id,
)
def test_agreement_text_keeps_the_seed_sentence(framework, code, sentence):
    assert sentence in agreement(framework, code).text


@pytest.mark.parametrize(
    "code,headings",
    [
        (
            "1.2",
            ["Sloop", "Nieuwbouw", "Verkoop", "Aankoop", "Renovatie", "Onderzoek", "Onderhoud"],
        ),
        ("6.2", ["Cyclisch proces", "Ambtelijke werkgroep", "Tussentijdse wijzigingen"]),
    ],
    ids=["1.2", "6.2"],
)
def test_agreement_subheadings(framework, code, headings):
    text = agreement(framework, code).text
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == headings


def test_werkgroep_has_its_eight_tasks_and_the_calendar_its_five_moments(framework):
    text = agreement(framework, "6.2").text
    calendar, werkgroep = text.split("## Ambtelijke werkgroep")
    werkgroep = werkgroep.split("## Tussentijdse wijzigingen")[0]
    assert [line.split(":")[0] for line in calendar.splitlines() if line.startswith("- ")] == [
        "- Januari - maart",
        "- Maart",
        "- Vóór 1 juli",
        "- Juli-november",
        "- Vóór 15 december",
    ]
    assert len([line for line in werkgroep.splitlines() if line.startswith("- ")]) == 8


def test_meander_is_responsible_for_nothing(framework):
    assert not Agreement.objects.filter(
        theme__framework=framework, responsible_parties__slug="meander"
    ).exists()


def test_every_agreement_has_responsible_parties_of_the_framework(framework):
    for item in Agreement.objects.filter(theme__framework=framework):
        slugs = set(item.responsible_parties.values_list("slug", flat=True))
        assert slugs, f"{item.code} has no responsible party"
        assert slugs <= ALL_PARTIES, f"{item.code}: {slugs - ALL_PARTIES}"


@pytest.mark.parametrize(
    "code,responsible",
    [
        ("1.2", {GEMEENTE} | CORPORATIONS),
        ("2.1", CORPORATIONS | TENANT_ORGANISATIONS),
        ("3.2", {GEMEENTE}),
        ("3.7", {GEMEENTE}),
        ("3.5", CORPORATIONS),
        ("6.2", ALL_PARTIES),
    ],
    ids=["1.2", "2.1", "3.2", "3.7", "3.5", "6.2"],
)
def test_responsible_parties_follow_the_text(framework, code, responsible):
    slugs = set(agreement(framework, code).responsible_parties.values_list("slug", flat=True))
    assert slugs == responsible


# --------------------------------------------------------------------------------- the texts


def test_texts_are_reflowed_into_clean_blocks(framework):
    """No PDF line breaks are left: a block is a heading, one paragraph line or a list."""
    for text in all_texts(framework):
        for block in text.split("\n\n"):
            lines = block.split("\n")
            if lines[0].startswith("## "):
                lines = lines[1:]
            if len(lines) > 1:
                assert all(line.startswith("- ") for line in lines), block[:120]


@pytest.mark.parametrize(
    "artefact",
    ["•", "  ", "\t", " \n", "Meerjarige afspraken 2021-2025", "Slide Number", "\u00ad", "CO2- "],
    ids=["bullet", "double-space", "tab", "trailing-space", "page-footer", "slide", "shy", "co2"],
)
def test_texts_have_no_pdf_artefacts(framework, artefact):
    for text in all_texts(framework):
        assert artefact not in text


@pytest.mark.parametrize(
    "joined",
    ["CO2-uitstoot", "Structuurvisie Kerkrade 2010-2020", "ex-psychiatrische", "GGZ-cliënten"],
    ids=phrase_id,
)
def test_line_wrap_hyphenation_is_joined(framework, joined):
    assert any(joined in text for text in all_texts(framework))


# ---------------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Expected:
    agreement: str
    kind: str
    value: str | None
    unit: str = ""
    direction: str = "exactly"
    value_max: str | None = None
    per_year: bool = False
    period: tuple[int | None, int | None] = (None, None)  # (period_start, target_year)
    baseline: tuple[str | None, dt.date | None] = (None, None)
    parties: frozenset[str] = field(default_factory=frozenset)


def _parties(*groups) -> frozenset[str]:
    slugs: set[str] = set()
    for group in groups:
        slugs |= {group} if isinstance(group, str) else set(group)
    return frozenset(slugs)


PLAN = (2021, 2025)
CORPS = _parties(CORPORATIONS)
WOONRUIMTE = "% van de (op)nieuw te verhuren DAEB-woningen"
CO2 = "% CO2-reductie t.o.v. 1990"

TARGETS = {
    "starterslening-koopsom": Expected(
        "1.1", "value", "190000", "€ koopsom", "at_most", parties=_parties(GEMEENTE)
    ),
    "sloop": Expected("1.2", "period_count", "478", "woningen", period=PLAN, parties=CORPS),
    "nieuwbouw": Expected("1.2", "period_count", "515", "woningen", period=PLAN, parties=CORPS),
    "verkoop": Expected("1.2", "period_count", "35", "woningen", period=PLAN, parties=CORPS),
    "aankoop": Expected("1.2", "period_count", "125", "woningen", period=PLAN, parties=CORPS),
    "renovatie": Expected("1.2", "period_count", "332", "woningen", period=PLAN, parties=CORPS),
    "onderzoek-eygelshoven": Expected(
        "1.2", "period_count", "204", "woningen", period=PLAN, parties=_parties("wonen-limburg")
    ),
    "conditiescore": Expected("1.2", "value", "3", "conditiescore", "at_least", parties=CORPS),
    "contingent-hertogenlaan": Expected(
        "1.2", "value", "105", "eenheden", parties=_parties("heemwonen")
    ),
    "passend-toewijzen": Expected(
        "2.3", "min_share", "95", "% van de toewijzingen", "at_least", per_year=True, parties=CORPS
    ),
    "daeb-toewijzen": Expected(
        "2.3", "min_share", "92.5", WOONRUIMTE, "at_least", per_year=True, parties=CORPS
    ),
    "daeb-toewijzen-lokaal": Expected(
        "2.3", "min_share", "85", WOONRUIMTE, "at_least", per_year=True, parties=CORPS
    ),
    "adviesgesprekken": Expected(
        "2.6", "value", "100", "adviesgesprekken", per_year=True, parties=_parties(GEMEENTE)
    ),
    "vroeg-er-op-af-meldingen": Expected(
        "2.7",
        "range",
        "150",
        "meldingen en signalen",
        value_max="200",
        per_year=True,
        parties=_parties(GEMEENTE),
    ),
    "co2-reductie-2030": Expected("3.1", "value", "49", CO2, "at_least", period=(None, 2030)),
    "co2-reductie-2050": Expected("3.1", "value", "95", CO2, "at_least", period=(None, 2050)),
    "co2-neutraal": Expected(
        "3.1", "end_state", None, period=(None, 2050), parties=_parties(ALL_PARTIES)
    ),
    "aardgasvrij-buurt": Expected(
        "3.2", "value", "1", "buurt", "at_least", period=(None, 2030), parties=_parties(GEMEENTE)
    ),
    "gasloos-2050": Expected("3.2", "end_state", None, period=(None, 2050)),
    "gasloos-aedes-2022": Expected(
        "3.2", "value", "100000", "sociale huurwoningen", period=(None, 2022)
    ),
    "geen-label-efg": Expected("3.3", "end_state", None, parties=CORPS),
    "nultreden": Expected(
        "4.1",
        "value",
        "4000",
        "woningen",
        "at_least",
        period=(None, 2030),
        baseline=("3590", dt.date(2020, 1, 1)),
        parties=CORPS,
    ),
    "nultreden-toename": Expected(
        "4.1", "period_count", "410", "woningen", "at_least", period=(2021, 2030), parties=CORPS
    ),
    "vergunninghouders": Expected(
        "4.6",
        "max_share",
        "10",
        "% van het opnieuw te verhuren woningaanbod",
        "at_most",
        per_year=True,
        parties=CORPS,
    ),
}


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@pytest.mark.parametrize("code", list(TARGETS))
def test_target_is_transcribed(framework, code):
    expected = TARGETS[code]
    item = target(framework, code)
    actual = {
        "agreement": item.agreement.code,
        "kind": item.kind,
        "direction": item.direction,
        "value": item.value,
        "value_max": item.value_max,
        "unit": item.unit,
        "per_year": item.per_year,
        "period": (item.period_start, item.target_year),
        "baseline": (item.baseline_value, item.baseline_date),
        "parties": frozenset(item.parties.values_list("slug", flat=True)),
    }
    assert actual == {
        "agreement": expected.agreement,
        "kind": expected.kind,
        "direction": expected.direction,
        "value": _decimal(expected.value),
        "value_max": _decimal(expected.value_max),
        "unit": expected.unit,
        "per_year": expected.per_year,
        "period": expected.period,
        "baseline": (_decimal(expected.baseline[0]), expected.baseline[1]),
        "parties": expected.parties,
    }


def test_every_target_in_the_database_is_checked_here(framework):
    codes = list(
        Target.objects.filter(agreement__theme__framework=framework).values_list("code", flat=True)
    )
    assert len(codes) == len(set(codes)), "target codes must be unique within the framework"
    assert set(codes) == set(TARGETS)


@pytest.mark.parametrize(
    "code,phrase",
    [
        ("onderzoek-eygelshoven", "16 complexen"),
        ("conditiescore", "NEN"),
        ("daeb-toewijzen", "€ 35.938"),
        ("daeb-toewijzen", "€ 43.126"),
        ("daeb-toewijzen-lokaal", "15,0%"),
        ("co2-reductie-2030", "Klimaatakkoord"),
        ("co2-reductie-2030", "landelijk"),
        ("co2-reductie-2050", "Klimaatakkoord"),
        ("aardgasvrij-buurt", "vóór 2030"),
        ("geen-label-efg", "Op termijn"),
    ],
    ids=phrase_id,
)
def test_target_note_explains_the_figure(framework, code, phrase):
    assert phrase in target(framework, code).note


def test_end_state_without_a_year_has_no_year(framework):
    assert target(framework, "geen-label-efg").target_year is None


def test_target_units_are_dutch_and_shaped_for_formatting(framework):
    for item in Target.objects.filter(agreement__theme__framework=framework):
        if item.kind in {Target.Kind.MIN_SHARE, Target.Kind.MAX_SHARE}:
            assert item.unit.startswith("%"), item.code
        if item.kind == Target.Kind.PERIOD_COUNT:
            assert item.period_start and item.target_year >= item.period_start, item.code
        if item.kind == Target.Kind.END_STATE:
            assert item.value is None, item.code
        else:
            assert item.unit, item.code


# Figures the seed states only as their complement: "de 7,5% [mag] worden opgetrokken tot
# maximaal 15,0%" makes at least 85% DAEB-toewijzen.
DERIVED_FIGURES = {"daeb-toewijzen-lokaal"}


def dutch_number(value: Decimal) -> str:
    """4000 -> "4.000", 92.5 -> "92,5": how the seed writes figures."""
    return f"{value.normalize():,f}".translate(str.maketrans(",.", ".,"))


def test_every_target_figure_is_stated_in_its_agreement_or_the_framework(framework):
    """A target's figure is written, the Dutch way, in its agreement text or framework text."""
    framework_text = one_line(
        " ".join([framework.highlights, framework.appendix, framework.introduction])
    )
    targets = Target.objects.filter(agreement__theme__framework=framework)
    for item in targets.exclude(kind=Target.Kind.END_STATE).exclude(code__in=DERIVED_FIGURES):
        haystack = one_line(item.agreement.text) + " " + framework_text
        for value in (item.value, item.value_max):
            if value is None:
                continue
            number = dutch_number(value)
            assert re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d]|,\d)", haystack), (
                item.code,
                number,
            )


# ---------------------------------------------------------------------------- process steps

STEPS = [
    # period_label, deliverable, owner_kind, (month, day), applies_to_next_year, is_statutory
    ("Januari - maart", "Evaluatie (concept)", "", (4, 1), False, False),
    ("Maart", "Evaluatie vastgesteld", "", (4, 1), False, False),
    ("Vóór 1 juli", "Bod per corporatie", "corporatie", (7, 1), True, True),
    ("Juli-november", "Concept jaarschijf", "", (12, 1), True, False),
    ("Vóór 1 december", "Jaarschijf (definitief concept)", "", (12, 1), True, False),
    ("Vóór 15 december", "Jaarschijf ondertekend", "", (12, 15), True, True),
]


def test_process_calendar_has_six_steps_in_order(framework):
    steps = framework.process_steps.order_by("order")
    assert [
        (
            step.period_label,
            step.deliverable,
            step.owner_kind,
            (step.deadline_month, step.deadline_day),
            step.applies_to_next_year,
            step.is_statutory,
        )
        for step in steps
    ] == STEPS


def test_statutory_deadlines_are_1_july_and_15_december(framework):
    statutory = framework.process_steps.filter(is_statutory=True).order_by("order")
    assert [(s.deadline_month, s.deadline_day) for s in statutory] == [(7, 1), (12, 15)]


@pytest.mark.parametrize(
    "order,phrase",
    [
        (1, "Ambtelijke werkgroep stelt evaluatie over voorgaande jaarschijf op."),
        (2, "We bespreken de evaluatie van de jaarschijf van het voorgaand kalenderjaar"),
        (3, "(“het bod”) toe aan gemeente en huurdersorganisaties."),
        (4, "stellen de concept jaarschijf voor opvolgend jaar op."),
        (5, "stelt jaarlijks voor 1 december de jaarschijf op"),
        (6, "ondertekenen de jaarschijf voor het nieuwe jaar."),
    ],
    ids=phrase_id,
)
def test_process_step_description_is_the_seed_text(framework, order, phrase):
    assert phrase in framework.process_steps.get(order=order).description


# ------------------------------------------------------------------------------ signatories


def test_five_signatories_and_only_the_wethouder_has_a_party(framework):
    rows = [
        (row.name, row.job_title, row.party.slug if row.party else None)
        for row in framework.signatories.order_by("order")
    ]
    assert rows == [
        ("T. Weijers", "wethouder", GEMEENTE),
        ("W. Stribos", "bestuurder", None),
        ("A. Van Malde", "bestuurder", None),
        ("H. Kortsmit", "voorzitter", None),
        ("L. Valkenburg", "voorzitter", None),
    ]


# ------------------------------------------------------------------ figures read from the seed


def _seed() -> str | None:
    return SEED_PATH.read_text(encoding="utf-8") if SEED_PATH.exists() else None


def _missing_seed_param(arity: int) -> list:
    values = [None] * arity
    return [pytest.param(*values, marks=pytest.mark.skip(reason=SEED_MISSING), id="no-seed")]


def _seed_plan_bullets() -> list:
    """The summary's "• 478 woningen sloop" bullets: (figure, strategy)."""
    seed = _seed()
    if seed is None:
        return _missing_seed_param(2)
    found = re.findall(r"^• (\d[\d.]*) woningen (\w+)\s*$", seed, flags=re.MULTILINE)
    assert found, "the seed's summary bullets were not found"
    return [pytest.param(int(n.replace(".", "")), s, id=f"{n}-{s}") for n, s in found]


def _seed_theme_1_woningen() -> list:
    """Every "<number> [adjective] woningen" of the theme 1 agreements in the seed."""
    seed = _seed()
    if seed is None:
        return _missing_seed_param(1)
    start = seed.index("1. Aanbod sociale huurwoningvoorraad")
    end = seed.index("Sociale huurwoningen zijn er voor mensen")
    section = re.sub(r"\s+", " ", seed[start:end])
    found = re.findall(r"(?<![\d.,])(\d[\d.]*) (?:[a-z]+ )?(?:\w*woningen)\b", section)
    assert found, "no '<number> woningen' figure found in theme 1 of the seed"
    return [pytest.param(int(n.replace(".", "")), id=f"{n}-woningen") for n in dict.fromkeys(found)]


@pytest.mark.parametrize("figure,strategy", _seed_plan_bullets())
def test_seed_summary_plan_is_a_period_target(framework, figure, strategy):
    item = target(framework, strategy)
    assert item.kind == Target.Kind.PERIOD_COUNT
    assert item.value == figure
    assert (item.period_start, item.target_year) == (2021, 2025)


@pytest.mark.parametrize("figure", _seed_theme_1_woningen())
def test_seed_theme_1_woningen_figure_is_a_target_value(framework, figure):
    values = set(
        Target.objects.filter(
            agreement__theme__framework=framework, agreement__theme__number=1
        ).values_list("value", flat=True)
    )
    assert Decimal(figure) in values


def _seed_appendix_amounts() -> list:
    seed = _seed()
    if seed is None:
        return _missing_seed_param(1)
    appendix = seed[seed.index(" Bijlage") : seed.index("Samen aan de slag")]
    amounts = re.findall(r"€ ?\d[\d.]*(?:,\d+)?", appendix)
    return [
        pytest.param(amount, id="eur-" + amount.lstrip("€ ")) for amount in dict.fromkeys(amounts)
    ]


@pytest.mark.parametrize("amount", _seed_appendix_amounts())
def test_seed_appendix_amount_is_in_the_appendix(framework, amount):
    assert amount in framework.appendix


def _seed_yearly_goals() -> list:
    """The seed's "Doel is om [jaarlijks] 150-200 meldingen ... te" sentences: (low, high, unit)."""
    seed = _seed()
    if seed is None:
        return _missing_seed_param(3)
    text = re.sub(r"\s+", " ", seed)
    found = re.findall(r"Doel is om (?:jaarlijks )?(\d+)(?:-(\d+))? (\D+?) (?:per jaar )?te ", text)
    assert len(found) >= 2, "the seed's yearly goals were not found"
    return [
        pytest.param(
            int(low), int(high) if high else None, unit, id=f"{low}-{unit}".replace(" ", "-")
        )
        for low, high, unit in found
    ]


@pytest.mark.parametrize("low,high,unit", _seed_yearly_goals())
def test_seed_yearly_goal_is_a_per_year_target(framework, low, high, unit):
    item = Target.objects.get(agreement__theme__framework=framework, unit=unit)
    assert item.per_year
    assert (item.value, item.value_max) == (low, high)


NATIONAL_TARGETS = {"co2-reductie-2030", "co2-reductie-2050", "gasloos-2050", "gasloos-aedes-2022"}


@pytest.mark.parametrize("code", sorted(NATIONAL_TARGETS))
def test_national_goals_are_context_not_local_commitments(framework, code):
    assert target(framework, code).scope == Target.Scope.NATIONAL


def test_every_other_target_is_a_local_commitment(framework):
    local = Target.objects.filter(agreement__theme__framework=framework).exclude(
        code__in=NATIONAL_TARGETS
    )
    assert local.exists()
    assert set(local.values_list("scope", flat=True)) == {Target.Scope.LOCAL}
