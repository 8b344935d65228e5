"""Reads of the jaarschijf, each with a fixed number of queries whatever the number of
contributions, comments or people present (pinned in tests/cycle/jaarschijf/test_queries.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from agreements.formatting import format_number
from agreements.models import Agreement, Party, Target, Theme
from agreements.selectors import PARTY_KIND_ORDER
from core.drafting import selectors as drafting
from core.drafting.models import PieceChange
from cycle.jaarschijf import access as rules
from cycle.jaarschijf.filters import ALL, TEXTS, UNLINKED, PageFilter
from cycle.jaarschijf.services import ref
from cycle.models import Contribution, Jaarschijf, JaarschijfText, PieceType


def party_sort_key(party: Party) -> tuple:
    return (PARTY_KIND_ORDER.index(party.kind), party.name)


def contributions_qs(jaarschijf: Jaarschijf) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(jaarschijf=jaarschijf)
        .select_related("party", "target", "updated_by", "agreement", "agreement__theme", "bid")
        .order_by("order", "id")
    )


def _threads(jaarschijf: Jaarschijf, **filters: Any) -> dict[tuple[str, int], list]:
    return drafting.threads(drafting.comments(ref(jaarschijf.pk), **filters))


def _presence(jaarschijf: Jaarschijf, user: Any, **filters: Any) -> dict[tuple[str, int], list]:
    return drafting.presence(ref(jaarschijf.pk), user, **filters)


def _decorate_contribution(
    contribution: Contribution, jaarschijf: Jaarschijf, editable: set[int] | None, threads, present
) -> Contribution:
    contribution.jaarschijf = jaarschijf
    contribution.can_edit = editable is None or contribution.party_id in editable
    return drafting.decorate(contribution, PieceType.CONTRIBUTION, threads, present)


def _contribution_label(contribution: Contribution, index: int, total: int) -> str:
    """The name of a contribution in links and editors, e.g. "1.2 HEEMwonen"; when one party
    has several under one agreement they are numbered ("1.2 HEEMwonen (2 van 3)"), so that
    every "Bewerken" link on the page has a name of its own."""
    where = contribution.agreement.code if contribution.agreement_id else _("niet gekoppeld")
    label = f"{where} {contribution.party.name}"
    if total > 1:
        label += " " + _("(%(n)s van %(total)s)") % {"n": index, "total": total}
    return label


def _label_contributions(group: list[Contribution]) -> None:
    """``group``: the contributions of one party under one agreement."""
    group = sorted(group, key=lambda c: (c.order, c.pk))
    for index, contribution in enumerate(group, start=1):
        contribution.label = _contribution_label(contribution, index, len(group))


def _decorate_text(piece: JaarschijfText, can_edit: bool, threads, present) -> JaarschijfText:
    piece.label = piece.get_key_display()
    piece.can_edit = can_edit
    return drafting.decorate(piece, PieceType.TEXT, threads, present)


@dataclass
class AgreementBlock:
    agreement: Agreement
    contributions: list[Contribution] = field(default_factory=list)


@dataclass
class ThemeBlock:
    theme: Theme
    agreements: list[AgreementBlock] = field(default_factory=list)
    query: str = ""  # the query string that shows this theme alone (same filters)
    current: bool = False

    @property
    def open_threads(self) -> int:
        return sum(c.open_threads for block in self.agreements for c in block.contributions)

    @property
    def contribution_count(self) -> int:
        return sum(len(block.contributions) for block in self.agreements)


@dataclass
class JaarschijfPage:
    jaarschijf: Jaarschijf
    texts: list[JaarschijfText]
    themes: list[ThemeBlock]
    unlinked: list[Contribution]
    parties: list[Party]
    addable_parties: list[Party]
    can_edit_texts: bool
    can_manage: bool
    can_comment: bool
    filters: PageFilter = field(default_factory=PageFilter)

    @property
    def text_open_threads(self) -> int:
        return sum(piece.open_threads for piece in self.texts)

    @property
    def shown_themes(self) -> list[ThemeBlock]:
        """The themes on the page: the chosen one, or all of them."""
        if self.filters.section == ALL:
            return self.themes
        return [block for block in self.themes if block.current]

    @property
    def shows_texts(self) -> bool:
        return self.filters.shows(TEXTS) and (bool(self.texts) or not self.filters.active)

    @property
    def shows_unlinked(self) -> bool:
        return self.filters.shows(UNLINKED) and bool(self.unlinked)

    @property
    def shown_count(self) -> int:
        texts = len(self.texts) if self.shows_texts else 0
        unlinked = len(self.unlinked) if self.shows_unlinked else 0
        return texts + unlinked + sum(b.contribution_count for b in self.shown_themes)

    @property
    def query_all(self) -> str:
        return self.filters.query(section=ALL)

    @property
    def query_texts(self) -> str:
        return self.filters.query(section=TEXTS)

    @property
    def query_unfiltered(self) -> str:
        """This section without the filters."""
        return self.filters.query(mine=False, open_comments=False, changed=False)

    @property
    def query_unlinked(self) -> str:
        return self.filters.query(section=UNLINKED)


def _apply_filters(filters: PageFilter, pieces: list) -> list:
    if filters.open_thread is not None:
        for piece in pieces:
            if (piece.piece_type, piece.pk) == filters.open_thread:
                piece.comments_open = True
    if not filters.active:
        return pieces
    return [piece for piece in pieces if filters.keeps(piece)]


def jaarschijf_page(
    jaarschijf: Jaarschijf, user: Any, filters: PageFilter | None = None
) -> JaarschijfPage:
    """Everything the jaarschijf page shows, in nine queries, whatever the filters: every
    piece is read and the filters are applied here, so the contents can count per theme.

    With filters, ``themes`` hold only the matching contributions (and, when a filter is on,
    only the agreements that have any); an unknown theme is a 404."""
    filters = filters or PageFilter()
    framework = jaarschijf.cycle_year.framework
    editable = rules.editable_party_ids(user, jaarschijf)  # membership (cached) + parties
    threads = _threads(jaarschijf)
    present = _presence(jaarschijf, user)
    can_edit_texts = rules.can_edit_texts(user, jaarschijf)
    texts = [
        _decorate_text(piece, can_edit_texts, threads, present)
        for piece in jaarschijf.texts.select_related("updated_by").order_by("key")
    ]
    texts.sort(key=lambda piece: JaarschijfText.Key.values.index(piece.key))
    # A text belongs to no party: "mijn organisatie" shows contributions only.
    texts = [] if filters.mine else _apply_filters(filters, texts)
    themes = list(
        framework.themes.order_by("number").prefetch_related(
            Prefetch(
                "agreements",
                queryset=Agreement.objects.order_by("number").prefetch_related(
                    Prefetch("targets", queryset=Target.objects.order_by("order", "id"))
                ),
            )
        )
    )
    by_agreement: dict[int | None, list[Contribution]] = defaultdict(list)
    by_party: dict[tuple[int | None, int], list[Contribution]] = defaultdict(list)
    for contribution in contributions_qs(jaarschijf):
        by_agreement[contribution.agreement_id].append(
            _decorate_contribution(contribution, jaarschijf, editable, threads, present)
        )
        by_party[(contribution.agreement_id, contribution.party_id)].append(contribution)
    for group in by_party.values():
        _label_contributions(group)
    blocks = []
    for theme in themes:
        block = ThemeBlock(
            theme=theme,
            query=filters.query(section=str(theme.pk)),
            current=filters.section == str(theme.pk),
        )
        for agreement in theme.agreements.all():
            agreement.theme = theme
            contributions = sorted(
                _apply_filters(filters, by_agreement.get(agreement.pk, [])),
                key=lambda c: (party_sort_key(c.party), c.order, c.pk),
            )
            if contributions or not filters.active:
                block.agreements.append(
                    AgreementBlock(agreement=agreement, contributions=contributions)
                )
        blocks.append(block)
    if filters.section not in {ALL, TEXTS, UNLINKED} and not any(b.current for b in blocks):
        raise Http404("Thema niet gevonden")
    parties = sorted(framework.parties.all(), key=party_sort_key)
    return JaarschijfPage(
        jaarschijf=jaarschijf,
        texts=texts,
        themes=blocks,
        unlinked=_apply_filters(filters, by_agreement.get(None, [])),
        parties=parties,
        addable_parties=rules.party_choices(user, jaarschijf, parties),
        can_edit_texts=can_edit_texts,
        can_manage=rules.can_manage(user, jaarschijf),
        can_comment=rules.can_comment(user, jaarschijf),
        filters=filters,
    )


def contribution_piece(jaarschijf: Jaarschijf, pk: int, user: Any) -> Contribution:
    try:
        contribution = contributions_qs(jaarschijf).get(pk=pk)
    except Contribution.DoesNotExist:
        raise Http404("Bijdrage niet gevonden") from None
    editable = rules.editable_party_ids(user, jaarschijf)
    key = {"piece_type": PieceType.CONTRIBUTION, "piece_id": pk}
    threads = _threads(jaarschijf, **key)
    present = _presence(jaarschijf, user, **key)
    group = list(
        Contribution.objects.filter(
            jaarschijf=jaarschijf,
            agreement_id=contribution.agreement_id,
            party_id=contribution.party_id,
        )
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )
    contribution.label = _contribution_label(contribution, group.index(pk) + 1, len(group))
    return _decorate_contribution(contribution, jaarschijf, editable, threads, present)


def text_piece(jaarschijf: Jaarschijf, pk: int, user: Any) -> JaarschijfText:
    try:
        piece = jaarschijf.texts.select_related("updated_by").get(pk=pk)
    except JaarschijfText.DoesNotExist:
        raise Http404("Tekst niet gevonden") from None
    key = {"piece_type": PieceType.TEXT, "piece_id": pk}
    threads = _threads(jaarschijf, **key)
    present = _presence(jaarschijf, user, **key)
    return _decorate_text(piece, rules.can_edit_texts(user, jaarschijf), threads, present)


def get_piece(jaarschijf: Jaarschijf, piece_type: str, pk: int, user: Any):
    if piece_type == PieceType.CONTRIBUTION:
        return contribution_piece(jaarschijf, pk, user)
    if piece_type == PieceType.TEXT:
        return text_piece(jaarschijf, pk, user)
    raise Http404("Onbekend onderdeel")


def piece_changes(piece_type: str, piece_id: int, jaarschijf: Jaarschijf) -> list[PieceChange]:
    return drafting.piece_changes(ref(jaarschijf.pk), piece_type, piece_id)


def jaarschijf_changes(jaarschijf: Jaarschijf) -> QuerySet[PieceChange]:
    return drafting.document_changes(ref(jaarschijf.pk))


def piece_labels(jaarschijf: Jaarschijf, changes: list[PieceChange]) -> dict:
    """A readable label per piece of these changes, in two queries."""
    contribution_ids = {c.piece_id for c in changes if c.piece_type == PieceType.CONTRIBUTION}
    labels: dict[tuple[str, int], str] = {}
    for contribution in Contribution.objects.filter(pk__in=contribution_ids).select_related(
        "party", "agreement", "agreement__theme"
    ):
        where = contribution.agreement.code if contribution.agreement else "–"
        labels[(PieceType.CONTRIBUTION, contribution.pk)] = f"{where} · {contribution.party.name}"
    for piece in jaarschijf.texts.all():
        labels[(PieceType.TEXT, piece.pk)] = piece.get_key_display()
    return labels


@dataclass
class TargetTotal:
    target: Target
    planned: Decimal
    by_party: dict[str, Decimal]


def target_totals(jaarschijf: Jaarschijf, contributions: list[Contribution]) -> list[TargetTotal]:
    """Per framework target: this year's planned quantities (per party and together), beside
    the framework's multi-year target value."""
    totals: dict[int, TargetTotal] = {}
    for contribution in contributions:
        if contribution.target_id is None or contribution.quantity is None:
            continue
        total = totals.get(contribution.target_id)
        if total is None:
            total = totals[contribution.target_id] = TargetTotal(
                target=contribution.target, planned=Decimal(0), by_party={}
            )
        total.planned += contribution.quantity
        name = contribution.party.name
        total.by_party[name] = total.by_party.get(name, Decimal(0)) + contribution.quantity
    return sorted(totals.values(), key=lambda t: (t.target.agreement_id, t.target.order))


# The fields of a contribution that its history compares beside the text, in this order.
HISTORY_FIELDS = ("quantity", "unit", "planned_quarter", "target_id", "done")


def contribution_history_fields(
    old: dict[str, Any], new: dict[str, Any]
) -> list[tuple[str, str | None, str | None]]:
    """(label, before, after) of a contribution's other fields, as people chose them.

    A history entry stores raw values (quarter code, boolean, target id); they are shown the
    way the form offers them: the field's verbose name, the choice's label, "ja"/"nee", the
    target's name (both versions' targets in one query) and Dutch numbers.
    """
    target_ids = {v.get("target_id") for v in (old, new)} - {None, ""}
    targets = dict(Target.objects.filter(pk__in=target_ids).values_list("pk", "label"))

    def shown(name: str, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if name == "target_id":
            return targets.get(int(value), _("(verwijderd doel)"))
        field = Contribution._meta.get_field(name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("ja") if value else _("nee")
        if name == "quantity":
            return format_number(Decimal(str(value)))
        return str(value)

    rows = []
    for name in HISTORY_FIELDS:
        field = Contribution._meta.get_field(name.removesuffix("_id"))
        label = str(field.verbose_name)
        rows.append(
            (label[:1].upper() + label[1:], shown(name, old.get(name)), shown(name, new.get(name)))
        )
    return rows
