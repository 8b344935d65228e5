"""Reads of the evaluation: the summary with its compliance checks, the realisations per theme
and the figures across the framework's years. A fixed number of queries whatever the number of
contributions, corporations or years (pinned in tests/cycle/evaluation/test_queries.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from agreements.formatting import describe_target, format_number
from agreements.models import Agreement, Direction, Indicator, Party, Target, Theme
from cycle.evaluation import compliance as cc
from cycle.evaluation.compliance import Light
from cycle.jaarschijf.selectors import contributions_qs, party_sort_key
from cycle.models import Contribution, ContributionRealisation, Evaluation, YearFigures
from housing_stock.selectors import (
    TOTALLING_TABLES,
    current_snapshots,
    nultreden_count,
    snapshot_tables,
)

# The yearly figures of the corporations that a share indicator is measured on: the measure's
# value is the YearFigures field (weighted by lettings over the corporations).
SHARE_MEASURES = {Indicator.Measure.PASSEND_PCT, Indicator.Measure.DAEB_PCT}


@dataclass
class CheckRow:
    label: str
    value: str
    norm: str
    light: Light
    rule: str
    note: str = ""

    @property
    def light_label(self) -> str:
        return str(self.light.label)


@dataclass
class TargetStatus:
    target: Target
    checks: list[CheckRow]
    light: Light
    rule: str

    @property
    def description(self) -> str:
        return describe_target(self.target)

    @property
    def indicator(self) -> Indicator | None:
        return self.target.indicator

    @property
    def national(self) -> str:
        """The indicator's national norm ('landelijk: 95% passend'), or ''."""
        return self.target.indicator.national_text if self.target.indicator_id else ""

    @property
    def light_label(self) -> str:
        return str(self.light.label)


@dataclass
class AgreementRealisations:
    agreement: Agreement
    contributions: list[Contribution] = field(default_factory=list)


@dataclass
class ThemeStatus:
    theme: Theme
    targets: list[TargetStatus]
    agreements: list[AgreementRealisations]
    realisation: cc.Outcome
    light: Light
    counts: dict[str, int]

    @property
    def light_label(self) -> str:
        return str(self.light.label)

    @property
    def rule(self) -> str:
        return _("het slechtste licht van de doelen van dit thema en van de realisatie: ") + (
            self.realisation.rule
        )


@dataclass
class YearRow:
    year: int
    lettings: int | None = None
    relets: int | None = None
    vacancy_pct: Decimal | None = None
    passend_pct: Decimal | None = None
    daeb_pct: Decimal | None = None
    permit_holder_lettings: int | None = None
    permit_holder_share: Decimal | None = None
    evictions: int | None = None
    condition_score: Decimal | None = None
    corporations: int = 0


@dataclass
class ProgressRow:
    target: Target
    per_year: dict[int, Decimal]
    realised: Decimal
    due: Decimal
    outcome: cc.Outcome

    @property
    def cumulative(self) -> list[tuple[int, Decimal]]:
        total, rows = Decimal(0), []
        for year, value in sorted(self.per_year.items()):
            total += value
            rows.append((year, total))
        return rows


@dataclass
class PermitRow:
    corporation: Party
    stock: Decimal | None
    due: int | None
    lettings: int | None
    relets: int | None
    share: Decimal | None
    share_outcome: cc.Outcome
    task_outcome: cc.Outcome | None


@dataclass
class Bar:
    label: str
    value: Decimal
    value_text: str
    y: int
    width: int
    text_y: int


@dataclass
class Chart:
    key: str
    title: str
    desc: str
    bars: list[Bar]
    height: int
    goal_x: int | None
    goal_text: str
    width: int = 640
    label_width: int = 110
    headers: tuple[str, str] = ("", "")
    axis_text: str = ""


@dataclass
class EvaluationSummary:
    evaluation: Evaluation
    year: int
    parties: list[Party]
    corporations: list[Party]
    themes: list[ThemeStatus]
    unlinked: list[Contribution]
    figures: list[YearFigures]
    years: list[YearRow]
    progress: list[ProgressRow]
    permit_rows: list[PermitRow]
    nultreden: ProgressRow | None
    nultreden_stock: Decimal | None
    nultreden_source: str
    charts: list[Chart]
    stock_source: str

    @property
    def framework(self):
        return self.evaluation.framework

    @property
    def target_statuses(self) -> list[TargetStatus]:
        return [t for theme in self.themes for t in theme.targets]

    @property
    def light(self) -> Light:
        return cc.worst(theme.light for theme in self.themes)

    @property
    def light_counts(self) -> list[tuple[str, str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for status in self.target_statuses:
            counts[status.light] += 1
        return [(light.value, str(light.label), counts[light.value]) for light in Light]


# --- gathering ------------------------------------------------------------------------------


def _stock_per_corporation(
    municipality: Party, corporations: list[Party]
) -> tuple[dict[int, Decimal], Decimal | None, str, str]:
    """Latest stock total per corporation, and the latest nultreden count (all corporations),
    from the current snapshots of housing_stock (two queries)."""
    ids = {c.pk for c in corporations}
    stock: dict[int, tuple[Any, Decimal]] = {}
    nultreden: tuple[Any, Decimal, str] | None = None
    sources: list[str] = []
    for snapshot in current_snapshots(municipality):
        tables = snapshot_tables(snapshot)
        if snapshot.party_id in ids:
            totals = [t.total for t in tables if t.table in TOTALLING_TABLES and t.total]
            rank = snapshot.peildatum
            if totals and (snapshot.party_id not in stock or rank > stock[snapshot.party_id][0]):
                stock[snapshot.party_id] = (rank, totals[0])
                sources.append(tables[0].source)
        if snapshot.party_id is None:
            count = nultreden_count({t.table: t for t in tables})
            if count is not None and (nultreden is None or snapshot.peildatum > nultreden[0]):
                nultreden = (snapshot.peildatum, count, tables[0].source)
    return (
        {pk: value for pk, (_d, value) in stock.items()},
        nultreden[1] if nultreden else None,
        nultreden[2] if nultreden else "",
        "; ".join(sorted(set(sources))),
    )


def _weighted(rows: list[YearFigures], name: str, weight: str) -> Decimal | None:
    pairs = [(getattr(r, name), getattr(r, weight)) for r in rows if getattr(r, name) is not None]
    if not pairs:
        return None
    weights = [Decimal(w or 0) for _v, w in pairs]
    if sum(weights) == 0:
        return sum((v for v, _w in pairs), Decimal(0)) / len(pairs)
    return sum((v * Decimal(w or 0) for v, w in pairs), Decimal(0)) / sum(weights)


def _sum(rows: list[YearFigures], name: str) -> int | None:
    values = [getattr(r, name) for r in rows if getattr(r, name) is not None]
    return sum(values) if values else None


def year_row(year: int, rows: list[YearFigures]) -> YearRow:
    """All corporations together: counts added up, shares weighted by lettings (vacancy by
    re-lets as the closest measure of the stock turning over), the condition score averaged."""
    permit = _sum(rows, "permit_holder_lettings")
    relets = _sum(rows, "relets")
    return YearRow(
        year=year,
        lettings=_sum(rows, "lettings"),
        relets=relets,
        vacancy_pct=_weighted(rows, "vacancy_pct", "relets"),
        passend_pct=_weighted(rows, "passend_pct", "lettings"),
        daeb_pct=_weighted(rows, "daeb_pct", "lettings"),
        permit_holder_lettings=permit,
        permit_holder_share=cc.share(permit, relets),
        evictions=_sum(rows, "evictions"),
        condition_score=_weighted(rows, "condition_score", "lettings"),
        corporations=len(rows),
    )


def _chart(
    key: str,
    title: str,
    items: list[tuple[str, Decimal]],
    goal: Decimal | None,
    *,
    percent: bool = False,
    headers: tuple[str, str] = ("", ""),
) -> Chart:
    """Horizontal bars, one per year, with an optional dashed goal line; the same numbers go
    into the chart's <desc> and into the table under it."""
    width, label_width, bar, gap, top = 640, 110, 20, 8, 8
    room = width - label_width - 90
    values = [v for _l, v in items] + ([goal] if goal is not None else [])
    scale = max([*values, Decimal(1)])
    # Shares near a high norm (95%) would all look full on a 0-100 axis: the axis of a
    # percentage chart starts at a round ten below the lowest value, and the chart says so.
    floor = Decimal(0)
    if percent and values:
        floor = max(Decimal(0), ((min(values) - 5) // 10) * 10)
    span = max(scale - floor, Decimal(1))

    def text(value: Decimal) -> str:
        return cc.pct(value) if percent else format_number(cc.round_1(value))

    def x(value: Decimal) -> int:
        return int(room * max(value - floor, Decimal(0)) / span)

    bars = []
    for index, (label, value) in enumerate(items):
        y = top + index * (bar + gap)
        bars.append(Bar(label, value, text(value), y, x(value), y + bar - 5))
    height = top + len(items) * (bar + gap) + 24
    goal_x = label_width + x(goal) if goal is not None else None
    goal_text = (_("doel") + " " + text(goal)) if goal is not None else ""
    desc = "; ".join(f"{b.label}: {b.value_text}" for b in bars)
    if goal is not None:
        desc += f"; {goal_text}"
    axis_text = (_("as vanaf") + " " + text(floor)) if floor else ""
    if axis_text:
        desc += f" ({axis_text})"
    return Chart(
        key,
        title,
        desc + ".",
        bars,
        height,
        goal_x,
        goal_text,
        headers=headers,
        axis_text=axis_text,
    )


# --- the summary ----------------------------------------------------------------------------


def evaluation_summary(evaluation: Evaluation) -> EvaluationSummary:
    """Everything the overview page and the PDF show, in a fixed number of queries."""
    cycle_year = evaluation.cycle_year
    framework = evaluation.framework
    municipality = cycle_year.municipality
    jaarschijf = evaluation.jaarschijf
    year = jaarschijf.plan_year
    parties = sorted(framework.parties.all(), key=party_sort_key)
    corporations = [p for p in parties if p.kind == Party.Kind.CORPORATION]
    themes = list(
        Theme.objects.filter(framework=framework)
        .order_by("number")
        .prefetch_related(
            Prefetch("agreements", queryset=Agreement.objects.order_by("number")),
            Prefetch(
                "agreements__targets",
                queryset=Target.objects.select_related("indicator").order_by("order", "id"),
            ),
        )
    )
    contributions = list(contributions_qs(jaarschijf))
    realisations = {
        r.contribution_id: r
        for r in ContributionRealisation.objects.filter(evaluation=evaluation).select_related(
            "entered_by"
        )
    }
    for contribution in contributions:
        contribution.realisation = realisations.get(contribution.pk)
    first_year = framework.period_start
    all_figures = list(
        YearFigures.objects.filter(
            municipality=municipality,
            corporation__in=[c.pk for c in corporations],
            year__gte=min(first_year, year),
            year__lte=year,
        ).select_related("corporation")
    )
    by_year: dict[int, list[YearFigures]] = defaultdict(list)
    for row in all_figures:
        by_year[row.year].append(row)
    figures = sorted(by_year.get(year, []), key=lambda r: r.corporation.name)
    figures_by_corp = {r.corporation_id: r for r in figures}
    # Realised quantities per target and plan year, over every evaluation of the framework so
    # far (this one included): the multi-year progress.
    realised_rows = ContributionRealisation.objects.filter(
        evaluation__jaarschijf__cycle_year__framework=framework,
        evaluation__jaarschijf__plan_year__lte=year,
        contribution__target__isnull=False,
        realised_quantity__isnull=False,
    ).values_list(
        "contribution__target_id", "evaluation__jaarschijf__plan_year", "realised_quantity"
    )
    realised: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for target_id, plan_year, quantity in realised_rows:
        realised[target_id][plan_year] += quantity
    stock, nultreden_stock, nultreden_source, stock_source = _stock_per_corporation(
        municipality, corporations
    )

    all_targets = [t for theme in themes for a in theme.agreements.all() for t in a.targets.all()]
    # Targets on the same indicator within this framework are related: a lower local bound
    # next to the national share, a stock end-state next to its yearly increase.
    on_indicator: dict[int, list[Target]] = defaultdict(list)
    for t in all_targets:
        if t.indicator_id:
            on_indicator[t.indicator_id].append(t)

    def related(target: Target) -> list[Target]:
        return on_indicator[target.indicator_id] if target.indicator_id else [target]

    def realised_per_year(target: Target) -> dict[int, Decimal]:
        """Realised quantities per plan year of the target and the targets on its indicator
        (contributions link to either target of one measure: they count the same thing)."""
        per_year: dict[int, Decimal] = defaultdict(Decimal)
        for t in related(target):
            for y, v in realised.get(t.pk, {}).items():
                per_year[y] += v
        return dict(per_year)

    progress_rows: list[ProgressRow] = []
    permit_rows: list[PermitRow] = []
    nultreden_row: ProgressRow | None = None

    def corp_checks(target: Target, name: str, outcome_for) -> list[CheckRow]:
        rows = []
        for corporation in corporations:
            figure = figures_by_corp.get(corporation.pk)
            value = getattr(figure, name) if figure else None
            outcome = outcome_for(value)
            rows.append(
                CheckRow(
                    corporation.name,
                    cc.pct(value) if name.endswith("_pct") else format_number(value) or "–",
                    describe_target(target),
                    outcome.light,
                    outcome.rule,
                )
            )
        return rows

    def status_for(target: Target) -> TargetStatus | None:
        nonlocal nultreden_row
        if target.scope != Target.Scope.LOCAL:
            return None
        indicator = target.indicator
        measure = indicator.measure if indicator else None
        direction = indicator.direction if indicator else target.direction
        if measure in SHARE_MEASURES and target.value is not None:
            name = measure
            lower = _lower_bound(target, related(target), direction)

            def outcome_for(v, t=target, lower=lower):
                return _share_outcome(v, t.value, direction, lower=lower)

            checks = corp_checks(target, name, outcome_for)
            total = _weighted(figures, name, "lettings")
            outcome = outcome_for(total)
            checks.append(
                CheckRow(
                    _("Alle corporaties (gewogen naar verhuringen)"),
                    cc.pct(total),
                    describe_target(target),
                    outcome.light,
                    outcome.rule,
                )
            )
            return _status(target, checks)
        if measure == Indicator.Measure.PERMIT_HOLDER_SHARE and target.value is not None:
            task = evaluation.permit_holder_task
            shares = (
                cc.divide_by_stock(task, {c.pk: stock[c.pk] for c in corporations if c.pk in stock})
                if task is not None
                else {}
            )
            checks = []
            for corporation in corporations:
                figure = figures_by_corp.get(corporation.pk)
                lettings = figure.permit_holder_lettings if figure else None
                relets = figure.relets if figure else None
                value = cc.share(lettings, relets)
                share_outcome = _share_outcome(value, target.value, direction)
                due = shares.get(corporation.pk) if task is not None else None
                task_outcome = cc.task_share(lettings, due) if due is not None else None
                permit_rows.append(
                    PermitRow(
                        corporation,
                        stock.get(corporation.pk),
                        due,
                        lettings,
                        relets,
                        value,
                        share_outcome,
                        task_outcome,
                    )
                )
                checks.append(
                    CheckRow(
                        corporation.name + " – " + _("aandeel van de mutaties"),
                        cc.pct(value),
                        describe_target(target),
                        share_outcome.light,
                        share_outcome.rule,
                    )
                )
                if task_outcome is not None:
                    checks.append(
                        CheckRow(
                            corporation.name + " – " + _("deel van de taakstelling"),
                            format_number(lettings) or "–",
                            _("≥ %(due)s woningen") % {"due": format_number(due)},
                            task_outcome.light,
                            task_outcome.rule,
                        )
                    )
            return _status(target, checks)
        if measure == Indicator.Measure.CONDITION_SCORE and target.value is not None:
            return _status(
                target,
                corp_checks(
                    target, "condition_score", lambda v, t=target: cc.condition(v, t.value)
                ),
            )
        if (
            measure == Indicator.Measure.STOCK_NULTREDEN
            and target.kind != Target.Kind.PERIOD_COUNT
            and target.value is not None
            and target.target_year
        ):
            baseline = target.baseline_value or Decimal(0)
            start = (target.baseline_date.year if target.baseline_date else first_year - 1) + 1
            added = realised_per_year(target)
            current = nultreden_stock if nultreden_stock is not None else baseline
            current += sum(added.values(), Decimal(0))
            due = cc.due_by(
                target.value, start=start, end=target.target_year, year=year, baseline=baseline
            )
            outcome = cc.progress(current, due, target.value, baseline=baseline)
            nultreden_row = ProgressRow(target, dict(added), current, due, outcome)
            check = CheckRow(
                _("Corporaties samen"),
                format_number(current),
                describe_target(target),
                outcome.light,
                outcome.rule,
                _("stand volgens de woningvoorraad (%(stock)s) plus de gerealiseerde toename")
                % {"stock": format_number(nultreden_stock) or "–"},
            )
            return _status(target, [check])
        if target.kind == Target.Kind.PERIOD_COUNT and target.period_start and target.target_year:
            per_year = realised_per_year(target)
            total = sum(per_year.values(), Decimal(0)) if per_year else None
            due = cc.due_by(
                target.value, start=target.period_start, end=target.target_year, year=year
            )
            outcome = cc.progress(total, due, target.value)
            progress_rows.append(ProgressRow(target, per_year, total or Decimal(0), due, outcome))
            check = CheckRow(
                _("Gerealiseerd %(start)s-%(year)s")
                % {"start": target.period_start, "year": min(year, target.target_year)},
                format_number(total) if total is not None else "–",
                describe_target(target) + f" ({target.period_start}-{target.target_year})",
                outcome.light,
                outcome.rule,
            )
            return _status(target, [check])
        return None

    theme_statuses: list[ThemeStatus] = []
    by_agreement: dict[int, list[Contribution]] = defaultdict(list)
    for contribution in contributions:
        by_agreement[contribution.agreement_id].append(contribution)
    for theme in themes:
        targets = [
            s for a in theme.agreements.all() for t in a.targets.all() if (s := status_for(t))
        ]
        agreements = [
            AgreementRealisations(a, by_agreement.get(a.pk, [])) for a in theme.agreements.all()
        ]
        agreements = [a for a in agreements if a.contributions]
        statuses = [
            c.realisation.status
            for a in agreements
            for c in a.contributions
            if getattr(c, "realisation", None)
        ]
        realisation = cc.realisation(statuses)
        counts: dict[str, int] = defaultdict(int)
        for status in statuses:
            counts[status] += 1
        counts["open"] = sum(len(a.contributions) for a in agreements) - len(statuses)
        light = cc.worst([*(t.light for t in targets), realisation.light])
        theme_statuses.append(
            ThemeStatus(theme, targets, agreements, realisation, light, dict(counts))
        )

    years = [year_row(y, by_year.get(y, [])) for y in range(first_year, year + 1)]
    charts = _charts(years, progress_rows, all_targets)
    return EvaluationSummary(
        evaluation=evaluation,
        year=year,
        parties=parties,
        corporations=corporations,
        themes=theme_statuses,
        unlinked=by_agreement.get(None, []),
        figures=figures,
        years=years,
        progress=progress_rows,
        permit_rows=permit_rows,
        nultreden=nultreden_row,
        nultreden_stock=nultreden_stock,
        nultreden_source=nultreden_source,
        charts=charts,
        stock_source=stock_source,
    )


def _status(target: Target, checks: list[CheckRow]) -> TargetStatus:
    light = cc.worst(c.light for c in checks)
    return TargetStatus(target, checks, light, _("het slechtste licht van de toetsen hieronder"))


def _share_outcome(
    value: Decimal | None, goal: Decimal, direction: str, *, lower: Decimal | None = None
) -> cc.Outcome:
    """A share against a target value in the indicator's direction."""
    if direction == Direction.AT_MOST:
        return cc.max_share(value, goal)
    return cc.min_share(value, goal, lower=lower)


def _lower_bound(target: Target, related: list[Target], direction: str) -> Decimal | None:
    """A minimum share may have a local lower bound: the highest lower value of another local
    target on the same indicator (DAEB: 92,5% nationally, 85% agreed locally). Between the
    two is orange; without one, the default margin applies."""
    if direction == Direction.AT_MOST:
        return None
    lower = [
        t.value
        for t in related
        if t.pk != target.pk
        and t.scope == Target.Scope.LOCAL
        and t.value is not None
        and t.value < target.value
    ]
    return max(lower, default=None)


def _goal(targets: list[Target], measure: str) -> Decimal | None:
    """The chart's goal line for a measure: the strictest target value on it (the national
    share above a local lower bound; the lowest maximum)."""
    rows = [t for t in targets if t.indicator_id and t.indicator.measure == measure]
    values = [t.value for t in rows if t.value is not None]
    if not values:
        return None
    return min(values) if rows[0].indicator.direction == Direction.AT_MOST else max(values)


def _charts(
    years: list[YearRow], progress: list[ProgressRow], targets: list[Target]
) -> list[Chart]:
    charts = []
    for key, name, measure in [
        ("passend", _("Passend toegewezen per jaar"), Indicator.Measure.PASSEND_PCT),
        ("daeb", _("DAEB toegewezen per jaar"), Indicator.Measure.DAEB_PCT),
    ]:
        items = [(str(r.year), getattr(r, f"{key}_pct")) for r in years]
        items = [(label, value) for label, value in items if value is not None]
        if items:
            charts.append(
                _chart(
                    key,
                    name,
                    items,
                    _goal(targets, measure),
                    percent=True,
                    headers=(_("Jaar"), _("Aandeel")),
                )
            )
    items = [
        (str(r.year), r.permit_holder_share) for r in years if r.permit_holder_share is not None
    ]
    if items:
        charts.append(
            _chart(
                "permit-holders",
                _("Verhuringen aan vergunninghouders, aandeel van de mutaties"),
                items,
                _goal(targets, Indicator.Measure.PERMIT_HOLDER_SHARE),
                percent=True,
                headers=(_("Jaar"), _("Aandeel")),
            )
        )
    for row in progress:
        items = [(str(y), v) for y, v in row.cumulative]
        if items:
            charts.append(
                _chart(
                    f"doel-{row.target.code}",
                    _("%(label)s: gerealiseerd, opgeteld sinds %(start)s")
                    % {"label": row.target.label, "start": row.target.period_start},
                    items,
                    row.target.value,
                    headers=(_("Tot en met"), _("Gerealiseerd")),
                )
            )
    return charts


# --- entry pages ----------------------------------------------------------------------------


def party_contributions(evaluation: Evaluation, party: Party) -> list[Contribution]:
    """The party's contributions to the evaluated jaarschijf, each with ``realisation``."""
    contributions = list(contributions_qs(evaluation.jaarschijf).filter(party=party))
    realisations = {
        r.contribution_id: r
        for r in ContributionRealisation.objects.filter(
            evaluation=evaluation, contribution__in=[c.pk for c in contributions]
        )
    }
    for contribution in contributions:
        contribution.realisation = realisations.get(contribution.pk)
    return contributions


def year_figures_for(evaluation: Evaluation, corporation: Party) -> YearFigures | None:
    return YearFigures.objects.filter(
        municipality=evaluation.cycle_year.municipality,
        corporation=corporation,
        year=evaluation.jaarschijf.plan_year,
    ).first()


def comments(evaluation: Evaluation):
    return evaluation.comments.select_related("author", "author_party").order_by("created_at", "id")
