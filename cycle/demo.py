"""Demo data of the cycle: cycle years over each framework's period (+ the year after), their
milestones, and bids of each corporation with several versions. An ended framework gets its
next one in concept (with some drafting by the demo users), and the year after the period goes
to that concept before its jaarschijf is made.

The seed gives no bids, so every figure here is generated deterministically (a hash of
corporation, year, figure and version) and visibly marked: bids carry is_demo and every
explanation starts with "Demogegevens:". Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

from agreements.drafting.states import DRAFTING_STATUSES
from agreements.models import Framework, Party, PolicyBasis
from agreements.nextframework import services as drafting
from agreements.nextframework.baselines import end_values
from agreements.nextframework.selectors import previous_framework
from core.actors import DEMO_LOADER
from cycle import services
from cycle.bids import selectors as bids_selectors
from cycle.bids import services as bids_services
from cycle.bids.types import LineInput
from cycle.calendar import AMSTERDAM
from cycle.models import DEMO_MARK, Bid, CycleYear, Figure, Milestone

DEMO_PREFIX = DEMO_MARK

# Plausible yearly range per corporation (min, max, step) for each core figure.
RANGES: dict[str, tuple[int, int, int]] = {
    Figure.DEMOLITION: (15, 45, 1),
    Figure.NEW_BUILD: (20, 50, 1),
    Figure.SALE: (0, 5, 1),
    Figure.PURCHASE: (3, 13, 1),
    Figure.RENOVATION: (10, 35, 1),
    Figure.LABEL_STEPS: (50, 300, 1),
    Figure.ACCESSIBLE: (5, 40, 1),
    Figure.PERMIT_HOLDERS: (5, 30, 1),
    Figure.LIVEABILITY: (50, 250, 1000),
    Figure.RENT_INCREASE: (15, 45, 1),  # tenths of a percent
}


def _number(*parts: object) -> int:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()
    return int(digest[:8], 16)


def demo_quantity(corporation: str, year: int, figure: str, version: int) -> Decimal:
    low, high, step = RANGES[figure]
    value = low + _number(corporation, year, figure, version) % (high - low + 1)
    if figure == Figure.RENT_INCREASE:
        return Decimal(value) / 10
    return Decimal(value * step)


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMSTERDAM)


def _lines(corporation: Party, plan_year: int, version: int, links: dict) -> dict:
    lines = {}
    for figure in Figure:
        target = links.get(figure.value)
        lines[figure.value] = LineInput(
            quantity=demo_quantity(corporation.slug, plan_year, figure.value, version),
            explanation=(
                f"{DEMO_PREFIX} gegenereerd cijfer voor {figure.label.lower()} in {plan_year} "
                f"(versie {version}); niet afkomstig uit het brondocument."
            ),
            agreement=target.agreement if target else None,
        )
    return lines


def _bid_versions(year_index: int, last_year: bool, corp_index: int, year: int) -> list[str]:
    """Which versions to make: 's' submitted, 'd' draft (deterministic per corporation/year)."""
    if last_year:
        return [["s", "d"], ["d"], []][corp_index % 3]
    versions = ["s"]
    if (year + corp_index) % 2 == 0:
        versions.append("s")
    return versions


def _make_bids(cycle_year: CycleYear, corporations: list[Party], last_year: bool) -> int:
    links = bids_selectors.default_links(cycle_year.framework)
    themes = list(cycle_year.framework.themes.order_by("number"))
    made = 0
    for corp_index, corporation in enumerate(corporations):
        if Bid.objects.filter(cycle_year=cycle_year, corporation=corporation).exists():
            continue
        milestone = bids_services.bid_milestone(cycle_year, corporation)
        deadline = milestone.deadline if milestone else dt.date(cycle_year.year, 7, 1)
        late = corp_index == 2 and cycle_year.year % 3 == 0
        plan = _bid_versions(0, last_year, corp_index, cycle_year.year)
        for number, kind in enumerate(plan, start=1):
            bid = bids_services.bid_draft_start(
                actor=DEMO_LOADER, cycle_year=cycle_year, corporation=corporation
            )
            bids_services.bid_lines_save(
                actor=DEMO_LOADER,
                bid=bid,
                lines=_lines(corporation, bid.plan_year, number, links),
                theme_notes={
                    theme.number: f"{DEMO_PREFIX} toelichting van {corporation.name} op thema "
                    f"'{theme.title}' voor {bid.plan_year} (versie {number})."
                    for theme in themes
                },
                summary=f"{DEMO_PREFIX} bod van {corporation.name} voor {bid.plan_year}, "
                f"versie {number}.",
            )
            Bid.objects.filter(pk=bid.pk).update(is_demo=True)
            if kind == "s":
                days_before = (10 + corp_index * 5) - (number - 1) * 4
                day = (
                    deadline + dt.timedelta(days=2)
                    if late
                    else deadline - dt.timedelta(days=days_before)
                )
                bids_services.bid_submit(
                    actor=DEMO_LOADER, bid=bid, at=_moment(day + dt.timedelta(days=number - 1))
                )
            made += 1
    return made


def _close_past_milestones(cycle_year: CycleYear, today: dt.date) -> None:
    """Milestones of earlier years are done (one in five a few days late), bids aside."""
    for milestone in cycle_year.milestones.filter(done_at__isnull=True).exclude(
        kind=Milestone.Kind.BID
    ):
        if milestone.deadline >= today:
            continue
        late = _number(milestone.title, cycle_year.year) % 5 == 0
        day = milestone.deadline + dt.timedelta(days=3 if late else -4)
        services.milestone_set_done(
            actor=DEMO_LOADER, milestone=milestone, done=True, at=_moment(day)
        )


def _demo_user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).first()


def _make_jaarschijf(cycle_year: CycleYear, *, current: bool) -> bool:
    """A jaarschijf per cycle year: signed for earlier years, in concept (with contributions,
    history and comments) for the current one. Edits and comments are marked as demo data."""
    from cycle.jaarschijf import services as js
    from cycle.models import Contribution, Jaarschijf, JaarschijfText, PieceType

    if Jaarschijf.objects.filter(cycle_year=cycle_year).exists():
        return False
    jaarschijf = js.jaarschijf_create(actor=DEMO_LOADER, cycle_year=cycle_year, is_demo=True)
    year = jaarschijf.plan_year
    spearheads = jaarschijf.texts.get(key=JaarschijfText.Key.SPEARHEADS)
    werkgroep, heemwonen, huurders = (
        _demo_user("werkgroep"),
        _demo_user("heemwonen"),
        _demo_user("huurders"),
    )
    js.jaarschijf_text_update(
        actor=DEMO_LOADER,
        text_id=spearheads.pk,
        expected_version=spearheads.version,
        text=f"{DEMO_PREFIX} speerpunten {year}: betaalbaarheid, verduurzaming en wonen met zorg.",
    )
    if not current:
        for state in [Jaarschijf.State.FINAL_DRAFT, Jaarschijf.State.FOR_SIGNING]:
            jaarschijf = js.jaarschijf_set_state(
                actor=DEMO_LOADER, jaarschijf=jaarschijf, state=state
            )
        js.jaarschijf_mark_signed(actor=DEMO_LOADER, jaarschijf=jaarschijf, signing_round=1)
        return True
    # The current year: a few people at work on it.
    empty = (
        jaarschijf.contributions.filter(source=Contribution.Source.FRAMEWORK, text="")
        .select_related("party")
        .order_by("id")[:6]
    )
    for index, contribution in enumerate(empty):
        js.contribution_update(
            actor=werkgroep,
            contribution_id=contribution.pk,
            expected_version=contribution.version,
            data=js.ContributionInput(
                text=f"{DEMO_PREFIX} {contribution.party.name} werkt deze afspraak in {year} uit "
                f"in een plan van aanpak, met de andere partijen.",
                planned_quarter=["q1", "q2", "q3", "q4", "jaar", "q2"][index],
            ),
        )
    bid_piece = (
        jaarschijf.contributions.filter(source=Contribution.Source.BID, party__slug="heemwonen")
        .exclude(agreement=None)
        .order_by("id")
        .first()
    )
    if bid_piece is not None and heemwonen is not None:
        for number in (1, 2):
            bid_piece.refresh_from_db()
            js.contribution_update(
                actor=heemwonen,
                contribution_id=bid_piece.pk,
                expected_version=bid_piece.version,
                data=js.ContributionInput(
                    text=f"{DEMO_PREFIX} HEEMwonen plant dit in {year} in twee fasen "
                    f"(aanpassing {number}).",
                    quantity=(bid_piece.quantity or Decimal(0)) + number,
                    unit=bid_piece.unit,
                    planned_quarter="jaar",
                    target_id=bid_piece.target_id,
                ),
            )
        if huurders is not None:
            root = js.comment_add(
                actor=huurders,
                jaarschijf=jaarschijf,
                piece_type=PieceType.CONTRIBUTION,
                piece_id=bid_piece.pk,
                text=f"{DEMO_PREFIX} waarom niet meer? De wachtlijst is lang.",
                notify=False,
            )
            js.comment_add(
                actor=heemwonen,
                jaarschijf=jaarschijf,
                piece_type=PieceType.CONTRIBUTION,
                piece_id=bid_piece.pk,
                text=f"{DEMO_PREFIX} meer past niet in de begroting van {year}.",
                parent=root,
                notify=False,
            )
    introduction = jaarschijf.texts.get(key=JaarschijfText.Key.INTRODUCTION)
    if huurders is not None:
        js.comment_add(
            actor=huurders,
            jaarschijf=jaarschijf,
            piece_type=PieceType.TEXT,
            piece_id=introduction.pk,
            text=f"{DEMO_PREFIX} graag ook iets over de huurders zelf in de inleiding.",
            notify=False,
        )
    return True


# --- evaluation ------------------------------------------------------------------------

# Realisation statuses drawn per contribution (out of 10): mostly realised, some not.
_STATUS_DRAW = ["gerealiseerd"] * 6 + ["deels"] * 2 + ["niet", "doorgeschoven"]
_STATUS_NOTES = {
    "gerealiseerd": "gerealiseerd zoals gepland",
    "deels": "deels gerealiseerd; de rest volgt later dan gepland",
    "niet": "niet gerealiseerd; de partijen bespreken een alternatief",
    "doorgeschoven": "doorgeschoven naar het volgende jaar",
}


def _demo_figures(corporation: Party, year: int):
    """Generated yearly figures of one corporation (deterministic, clearly marked)."""
    from cycle.evaluation.services import FiguresInput

    def pick(name: str, low: int, high: int) -> int:
        return low + _number(corporation.slug, year, "jaarcijfers", name) % (high - low + 1)

    lettings = pick("verhuringen", 120, 380)
    relets = lettings + pick("mutaties", 5, 40)
    return FiguresInput(
        lettings=lettings,
        relets=relets,
        vacancy_pct=Decimal(pick("leegstand", 6, 28)) / 10,
        passend_pct=Decimal(pick("passend", 935, 995)) / 10,
        daeb_pct=Decimal(pick("daeb", 880, 975)) / 10,
        permit_holder_lettings=relets * pick("vergunninghouders", 50, 115) // 1000,
        evictions=pick("ontruimingen", 0, 6),
        condition_score=Decimal(pick("conditie", 28, 36)) / 10,
        source=f"{DEMO_PREFIX} gegenereerd, niet uit Thuis in Limburg",
    )


def _evaluation_years(framework: Framework) -> list[CycleYear]:
    """Cycle years whose evaluated jaarschijf (last year's) is signed, up to the one that
    evaluates the jaarschijf of the framework's last year (or the latest signed one)."""
    from cycle.models import Jaarschijf

    signed = set(
        Jaarschijf.objects.filter(
            cycle_year__framework=framework, state=Jaarschijf.State.SIGNED
        ).values_list("plan_year", flat=True)
    )
    # The municipality's cycle years: the one after the period may belong to the next framework.
    return list(
        CycleYear.objects.filter(
            municipality=framework.municipality,
            year__in=[year + 1 for year in signed if year <= framework.period_end],
        ).order_by("year")
    )


def _make_evaluation(cycle_year: CycleYear, corporations: list[Party], *, latest: bool) -> bool:
    """An adopted evaluation of last year's jaarschijf: a realisation for every contribution,
    the corporations' year figures, conclusions. Everything marked "Demogegevens:"."""
    from cycle.evaluation import services as es
    from cycle.models import Evaluation, YearFigures

    if Evaluation.objects.filter(cycle_year=cycle_year).exists():
        return False
    evaluation = es.evaluation_start(actor=DEMO_LOADER, cycle_year=cycle_year, is_demo=True)
    year = evaluation.jaarschijf.plan_year
    for corporation in corporations:
        if not YearFigures.objects.filter(
            municipality=cycle_year.municipality, corporation=corporation, year=year
        ).exists():
            es.year_figures_save(
                actor=DEMO_LOADER,
                evaluation=evaluation,
                corporation=corporation,
                data=_demo_figures(corporation, year),
                is_demo=True,
            )
    contributions = evaluation.jaarschijf.contributions.select_related(
        "party", "agreement__theme"
    ).order_by("id")
    for index, contribution in enumerate(contributions):
        code = (
            f"{contribution.agreement.theme.number}.{contribution.agreement.number}"
            if contribution.agreement
            else "bod"
        )
        status = _STATUS_DRAW[_number(contribution.party.slug, year, code, index) % 10]
        planned = contribution.quantity
        quantity = None
        if planned is not None:
            share = {"gerealiseerd": 1, "deels": Decimal("0.6")}.get(status, 0)
            quantity = (planned * share).quantize(Decimal(1)) if share else None
        es.realisation_save(
            actor=DEMO_LOADER,
            evaluation=evaluation,
            contribution_id=contribution.pk,
            data=es.RealisationInput(
                status=status,
                realised_quantity=quantity,
                explanation=f"{DEMO_PREFIX} {_STATUS_NOTES[status]} ({contribution.party.name}, "
                f"{year}).",
            ),
        )
    evaluation.refresh_from_db()
    es.evaluation_update(
        actor=DEMO_LOADER,
        evaluation=evaluation,
        conclusion=f"{DEMO_PREFIX} de werkgroep ziet in {year} vooruitgang bij passend "
        "toewijzen; sloop en nieuwbouw blijven achter bij het schema van het kader.",
        permit_holder_task=40 + _number(cycle_year.municipality.slug, year, "taak") % 30,
    )
    es.evaluation_adopt(
        actor=DEMO_LOADER,
        evaluation=evaluation,
        at=_moment(dt.date(cycle_year.year, 3, 20)),
        # Only the latest one is rendered ahead: nobody downloads the older ones first thing.
        render_ahead=latest,
    )
    return True


def _make_first_year_figures(framework: Framework, corporations: list[Party], before: int):
    """Year figures of framework years that no evaluation in the portal covers (its first
    year): written directly, as there is no evaluation to enter them through."""
    from cycle.models import YearFigures

    for year in range(framework.period_start, before):
        for corporation in corporations:
            data = _demo_figures(corporation, year)
            YearFigures.objects.get_or_create(
                municipality=framework.municipality,
                corporation=corporation,
                year=year,
                defaults={**data.__dict__, "is_demo": True},
            )


def _make_end_evaluation(framework: Framework) -> int:
    """A framework whose period has ended gets its end-evaluation, in concept (the framework
    itself is left as it is); 1 when it was made now."""
    from cycle.endevaluation import services as end_services
    from cycle.endevaluation.selectors import has_ended
    from cycle.models import EndEvaluation

    if not has_ended(framework) or EndEvaluation.objects.filter(framework=framework).exists():
        return 0
    end_services.end_evaluation_start(actor=DEMO_LOADER, framework=framework, is_demo=True)
    return 1


def _cycle_year(framework: Framework, year: int) -> CycleYear:
    """The municipality's cycle year (under whichever framework it belongs to by now, so that a
    second run finds the one attached to the next framework), or a new one under ``framework``."""
    existing = (
        CycleYear.objects.filter(municipality=framework.municipality, year=year)
        .select_related("framework")
        .first()
    )
    return services.cycle_year_create(
        actor=DEMO_LOADER, framework=existing.framework if existing else framework, year=year
    )


def _next_framework_for(cycle_year: CycleYear) -> Framework | None:
    """A framework in concept of the municipality whose period covers the cycle year's
    jaarschijf, when the cycle year's own framework has ended before it."""
    if cycle_year.framework.period_end >= cycle_year.plan_year:
        return None
    return (
        Framework.objects.filter(
            municipality=cycle_year.municipality,
            status__in=DRAFTING_STATUSES,
            period_start__lte=cycle_year.plan_year,
            period_end__gte=cycle_year.plan_year,
        )
        .order_by("-period_start", "-pk")
        .first()
    )


def load(fixtures_dir: Path) -> list[str]:
    report = []
    today = dt.date(2026, 11, 1)  # fixed, so that the demo is the same whenever it is loaded
    # A framework still being drafted has no cycle years yet (it is not in force).
    for framework in Framework.objects.exclude(status__in=DRAFTING_STATUSES).order_by("slug"):
        corporations = list(framework.parties.filter(kind=Party.Kind.CORPORATION).order_by("name"))
        years = list(range(framework.period_start, framework.period_end + 2))
        cycle_years = [_cycle_year(framework, year) for year in years]
        bids = 0
        jaarschijven = 0
        # Every year but the last: its bids and its (signed) jaarschijf under this framework.
        for cycle_year in cycle_years[:-1]:
            bids += _make_bids(cycle_year, corporations, last_year=False)
            _close_past_milestones(cycle_year, min(today, dt.date(cycle_year.year + 1, 1, 1)))
            jaarschijven += _make_jaarschijf(cycle_year, current=False)
        evaluation_years = _evaluation_years(framework)
        evaluations = sum(
            _make_evaluation(cy, corporations, latest=cy == evaluation_years[-1])
            for cy in evaluation_years
        )
        if evaluation_years:
            _make_first_year_figures(framework, corporations, evaluation_years[0].year - 1)
        end_evaluations = _make_end_evaluation(framework)
        drafted = _make_next_framework(framework)
        # The current year: the year after an ended period goes to the concept that covers its
        # jaarschijf (before that jaarschijf exists); its bids and jaarschijf are then built on
        # the concept's agreements, while its evaluation still evaluates this framework's last
        # jaarschijf.
        current = cycle_years[-1]
        successor = _next_framework_for(current)
        if successor is not None:
            current = services.cycle_year_attach(
                actor=DEMO_LOADER, cycle_year=current, framework=successor
            )
        corporations = list(
            current.framework.parties.filter(kind=Party.Kind.CORPORATION).order_by("name")
        )
        bids += _make_bids(current, corporations, last_year=True)
        _close_past_milestones(current, min(today, dt.date(current.year + 1, 1, 1)))
        jaarschijven += _make_jaarschijf(current, current=True)
        report.append(
            f"jaarcyclus {framework.title}: {len(years)} cyclusjaren ({years[0]}-{years[-1]}), "
            f"{bids} nieuwe demobiedingen, {jaarschijven} nieuwe jaarschijven, "
            f"{evaluations} nieuwe evaluaties, {end_evaluations} nieuwe eindevaluaties"
        )
        if drafted is not None:
            report.append(f"concept {drafted.title} (kopie van {framework.title})")
        if current.framework_id != framework.pk:
            report.append(f"cyclusjaar {current.year} valt onder {current.framework.title}")
    return report


def _make_next_framework(framework: Framework) -> Framework | None:
    """An ended framework without a successor gets the next one in concept, copied with the
    drafting service (baselines from its end values) and with two policy-basis entries marked
    as demo data; the ended framework itself stays as it is. The new one when made now."""
    from cycle.endevaluation.selectors import has_ended

    municipality = framework.municipality
    if not has_ended(framework) or previous_framework(municipality) != framework:
        return None
    start, end = framework.period_end + 1, framework.period_end + 5
    place = municipality.name.removeprefix("Gemeente ").strip()
    drafted = drafting.framework_start(
        actor=DEMO_LOADER,
        municipality=municipality,
        title=f"Lokaal meerjarig kader {place} {start}-{end}",
        period_start=start,
        period_end=end,
        copy_of=framework,
        baselines=end_values(framework),
        is_demo=True,
    )
    entries = [
        (PolicyBasis.Kind.WOONVISIE, f"Woonvisie {place} {start}", dt.date(start - 1, 6, 26)),
        (
            PolicyBasis.Kind.REGIONAL,
            f"Regionale woonafspraken {start}-{end}",
            dt.date(start - 1, 3, 14),
        ),
    ]
    for kind, title, day in entries:
        drafting.policy_basis_add(
            actor=DEMO_LOADER,
            framework=drafted,
            kind=kind,
            title=title,
            date=day,
            source=f"{DEMO_PREFIX} voorbeeldverwijzing, geen echt besluit",
        )
    _make_concept_history(drafted)
    return drafted


def _make_concept_history(concept: Framework) -> None:
    """Some drafting on the concept, through the piece services with real demo users, so that
    its history shows word diffs: a target's value and an agreement's text changed, a target
    added, and two comment threads (one answered and resolved, one open). Marked as demo data."""
    from agreements.drafting import services as pieces
    from agreements.models import Agreement, Target
    from core.drafting import services as threads
    from core.numbers import format_number

    werkgroep, corporation, tenants = (
        _demo_user("werkgroep"),
        _demo_user("heemwonen"),
        _demo_user("huurders"),
    )
    if werkgroep is None:
        return
    document = pieces.FrameworkDrafted(concept)
    ordered = ("agreement__theme__number", "agreement__number", "order", "id")
    target = (
        Target.objects.filter(
            agreement__theme__framework=concept,
            kind=Target.Kind.PERIOD_COUNT,
            value__isnull=False,
        )
        .order_by(*ordered)
        .first()
    )
    if target is not None:
        kind = pieces.KINDS[pieces.TARGET]
        value = target.value + max(1, (target.value / 10).quantize(Decimal(1)))
        pieces.framework_piece_update(
            actor=werkgroep,
            framework=concept,
            kind=pieces.TARGET,
            piece_id=target.pk,
            expected_version=target.draft_version,
            data={
                **kind.snapshot(target),
                "value": value,
                "note": f"{target.note}\n\n{DEMO_PREFIX} de werkgroep stelt voor de nieuwe "
                f"periode een hoger doel voor ({format_number(value)}).".strip(),
            },
        )
        if corporation is not None:
            remark = threads.comment_add(
                actor=corporation,
                document=document,
                piece_type=pieces.TARGET,
                piece_id=target.pk,
                text=f"{DEMO_PREFIX} is {format_number(value)} haalbaar met de huidige bouwkosten?",
                notify=False,
            )
            threads.comment_add(
                actor=werkgroep,
                document=document,
                piece_type=pieces.TARGET,
                piece_id=target.pk,
                text=f"{DEMO_PREFIX} ja: de gemeente draagt bij uit het volkshuisvestingsfonds.",
                parent=remark,
                notify=False,
            )
            threads.comment_set_resolved(actor=werkgroep, comment=remark, resolved=True)
    agreement = (
        Agreement.objects.filter(theme__framework=concept)
        .exclude(text="")
        .order_by("theme__number", "number")
        .first()
    )
    if agreement is not None:
        kind = pieces.KINDS[pieces.AGREEMENT]
        pieces.framework_piece_update(
            actor=werkgroep,
            framework=concept,
            kind=pieces.AGREEMENT,
            piece_id=agreement.pk,
            expected_version=agreement.draft_version,
            data={
                **kind.snapshot(agreement),
                "text": f"{agreement.text}\n\n{DEMO_PREFIX} de partijen herijken deze afspraak "
                f"in {concept.period_start} aan de nieuwe woonvisie.",
            },
        )
        pieces.framework_piece_add(
            actor=werkgroep,
            framework=concept,
            kind=pieces.TARGET,
            parent_id=agreement.pk,
            data={
                "label": f"{DEMO_PREFIX} jaarlijks overleg over de voortgang met de huurders",
                "kind": Target.Kind.PERIOD_COUNT,
                "direction": Target.Direction.AT_LEAST,
                "value": concept.period_end - concept.period_start + 1,
                "unit": "overleggen",
                "target_year": concept.period_end,
            },
        )
        if tenants is not None:
            threads.comment_add(
                actor=tenants,
                document=document,
                piece_type=pieces.AGREEMENT,
                piece_id=agreement.pk,
                text=f"{DEMO_PREFIX} de huurders willen bij die herijking betrokken zijn.",
                notify=False,
            )
