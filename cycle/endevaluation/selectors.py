"""Reads of the end-evaluation: per theme and target what was planned and what was realised
over all the framework's years, with the light from the indicator's rule.

The realisation is the yearly evaluation's own multi-year reading (cycle.evaluation.selectors
.evaluation_summary) of the framework's last evaluation: its progress rows add up every year's
realised contributions, its share and stock checks read the last year figures and stock. Only
the light of a period count is judged again, against the whole goal (or, for a goal beyond the
framework, what was due by its last year). A fixed number of queries whatever the number of
years (pinned in tests/cycle/endevaluation/test_selectors.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.formatting import describe_target, format_number
from agreements.models import Agreement, Framework, Target, Theme
from core.numbers import parse_dutch_percentage
from cycle.evaluation import compliance as cc
from cycle.evaluation.compliance import Light
from cycle.evaluation.selectors import SHARE_MEASURES, TargetStatus, evaluation_summary
from cycle.models import EndEvaluation, Evaluation


@dataclass
class EndTargetRow:
    target: Target
    realised: Decimal | None
    realised_text: str
    as_of: int | None
    light: Light
    rule: str
    per_year: dict[int, Decimal] = field(default_factory=dict)

    @property
    def planned(self) -> str:
        return describe_target(self.target)

    @property
    def baseline(self) -> str:
        if self.target.baseline_value is None:
            return ""
        text = format_number(self.target.baseline_value)
        if self.target.baseline_date:
            text += " " + _("per %(date)s") % {"date": self.target.baseline_date.year}
        return text

    @property
    def period(self) -> str:
        t = self.target
        if t.kind == Target.Kind.PERIOD_COUNT and t.period_start and t.target_year:
            return f"{t.period_start}-{t.target_year}"
        return str(t.target_year) if t.target_year else ""

    @property
    def light_label(self) -> str:
        return str(self.light.label)

    @property
    def end_date(self) -> dt.date | None:
        return dt.date(self.as_of, 12, 31) if self.as_of is not None else None


@dataclass
class EndThemeRow:
    theme: Theme
    rows: list[EndTargetRow]

    @property
    def light(self) -> Light:
        return cc.worst(r.light for r in self.rows)

    @property
    def light_label(self) -> str:
        return str(self.light.label)


@dataclass
class FrameworkEndEvaluation:
    framework: Framework
    ended: bool
    evaluation: Evaluation | None
    themes: list[EndThemeRow]

    @property
    def last_year(self) -> int | None:
        """The last plan year a yearly evaluation covers, or None without any."""
        return self.evaluation.jaarschijf.plan_year if self.evaluation else None

    @property
    def rows(self) -> list[EndTargetRow]:
        return [r for theme in self.themes for r in theme.rows]

    @property
    def light(self) -> Light:
        return cc.worst(theme.light for theme in self.themes)


def has_ended(framework: Framework, *, today: dt.date | None = None) -> bool:
    return framework.period_end < (today or timezone.localdate()).year


def last_evaluation(framework: Framework) -> Evaluation | None:
    """The yearly evaluation of the framework's latest plan year within its period."""
    return (
        Evaluation.objects.filter(
            jaarschijf__cycle_year__framework=framework,
            jaarschijf__plan_year__lte=framework.period_end,
        )
        .select_related("cycle_year__municipality", "jaarschijf__cycle_year__framework")
        .order_by("-jaarschijf__plan_year")
        .first()
    )


def _themes(framework: Framework) -> list[Theme]:
    return list(
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


def _row(
    target: Target,
    status: TargetStatus | None,
    progress,
    stock,
    year: int | None,
    end: int,
) -> EndTargetRow:
    not_measured = _("niet automatisch gemeten: zie de conclusie van de werkgroep")
    if progress is not None:
        # A period count: every year's realisation added up, judged against the whole goal
        # (or what was due by the framework's last year when the goal runs beyond it).
        due = cc.due_by(target.value, start=target.period_start, end=target.target_year, year=end)
        outcome = cc.progress(progress.realised if progress.per_year else None, due, target.value)
        realised = progress.realised if progress.per_year else None
        return EndTargetRow(
            target,
            realised,
            format_number(realised) if realised is not None else "–",
            year,
            outcome.light,
            outcome.rule,
            dict(progress.per_year),
        )
    if status is not None:
        # A share, score or stock: the last year's value (all corporations together where
        # the check has that row), with that year's light.
        check = status.checks[-1]
        if stock is not None:
            value, text = stock.realised, check.value
        elif target.indicator_id and target.indicator.measure in SHARE_MEASURES:
            value, text = _number(check.value), check.value  # the weighted row of all
        else:
            # One check per corporation (a score, a share of the task): each with its value.
            value = _number(check.value) if len(status.checks) == 1 else None
            text = "; ".join(f"{c.label}: {c.value}" for c in status.checks)
        rule = "; ".join(dict.fromkeys(str(c.rule) for c in status.checks))
        if len(status.checks) > 1:
            rule = _("het slechtste licht van: ") + rule
        return EndTargetRow(target, value, text, year, status.light, rule)
    return EndTargetRow(target, None, "–", None, Light.NONE, not_measured)


def framework_end_evaluation(
    framework: Framework, *, today: dt.date | None = None
) -> FrameworkEndEvaluation:
    """Planned against realised for every target of the framework (see the module doc)."""
    ended = has_ended(framework, today=today)
    evaluation = last_evaluation(framework) if ended else None
    if evaluation is None:
        themes = _themes(framework)
        statuses: dict[int, TargetStatus] = {}
        progress: dict[int, object] = {}
        stock = None
        year = None
    else:
        summary = evaluation_summary(evaluation)
        themes = [t.theme for t in summary.themes]
        statuses = {s.target.pk: s for s in summary.target_statuses}
        progress = {p.target.pk: p for p in summary.progress}
        stock = summary.nultreden
        year = summary.year
    result = []
    for theme in themes:
        rows = [
            _row(
                t,
                statuses.get(t.pk),
                progress.get(t.pk),
                stock if stock is not None and stock.target.pk == t.pk else None,
                year,
                framework.period_end,
            )
            for a in theme.agreements.all()
            for t in a.targets.all()
        ]
        result.append(EndThemeRow(theme, rows))
    return FrameworkEndEvaluation(framework, ended, evaluation, result)


@dataclass
class EndValue:
    """What a target reached by the end of the framework, for the next framework's baseline."""

    target: Target
    value: Decimal
    date: dt.date


def framework_end_values(framework: Framework, *, today: dt.date | None = None) -> list[EndValue]:
    """Per target with a realised end value (a period count's total, the stock reached): the
    value and the date it stands at (31 December of the last evaluated year). For the next
    framework's baselines."""
    end = framework_end_evaluation(framework, today=today)
    values = []
    for row in end.rows:
        if row.end_date is None:
            continue
        if row.realised is not None:
            values.append(EndValue(row.target, row.realised, row.end_date))
    return values


def _number(text: str) -> Decimal | None:
    """The number a check row shows ("92,5%", "3,1"); None for "–"."""
    try:
        return parse_dutch_percentage(text)
    except ArithmeticError:
        return None


def end_evaluation_for(framework: Framework) -> EndEvaluation | None:
    return EndEvaluation.objects.filter(framework=framework).prefetch_related("conclusions").first()
