"""Reads of a framework in concept: the drafting page (one theme at a time) and its pieces,
each with its comments and who has it open, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from agreements.drafting import services
from agreements.drafting.pieces import AGREEMENT, KINDS, TARGET, TEXTS, THEME, shown_fields
from agreements.models import Agreement, Framework, Party, Target, Theme
from agreements.selectors import PARTY_KIND_ORDER
from core.drafting import selectors as drafting
from core.drafting.models import PieceChange


def _label(kind: str, piece) -> str:
    if kind == TEXTS:
        return str(KINDS[TEXTS].label)
    if kind == THEME:
        return f"{piece.number}. {piece.title}"
    if kind == AGREEMENT:
        return f"{piece.code} {piece.title}"
    return piece.label


@dataclass
class ConceptPage:
    framework: Framework
    texts: Any
    themes: list[Theme]
    theme: Theme | None
    parties: list[Party]
    can_edit: bool
    can_comment: bool
    agreements: list[Agreement] = field(default_factory=list)


def framework_parties(framework: Framework) -> list[Party]:
    return sorted(framework.parties.all(), key=lambda p: (PARTY_KIND_ORDER.index(p.kind), p.name))


# Long texts, written in the framework's plain-text format (headings, lists): the concept page
# shows them as the framework's page does (agreements.templatetags.framework_format).
FORMATTED_TEXTS = frozenset({"introduction", "highlights", "appendix", "text"})


def _decorate(pieces: list, kind: str, threads: dict, present: dict, can_edit: bool) -> None:
    """Give pieces of one kind what the templates show (fields in two queries for all)."""
    rows = shown_fields(KINDS[kind], [KINDS[kind].snapshot(piece) for piece in pieces])
    for piece, fields in zip(pieces, rows, strict=True):
        drafting.decorate(piece, kind, threads, present)
        piece.label = _label(kind, piece)
        piece.rows = [
            (label, value, name in FORMATTED_TEXTS)
            for name, (label, value) in zip(KINDS[kind].fields, fields, strict=True)
        ]
        piece.version = piece.draft_version
        piece.can_edit = can_edit


def _agreements(theme: Theme) -> list[Agreement]:
    return list(
        Agreement.objects.filter(theme=theme)
        .order_by("number")
        .prefetch_related(
            "responsible_parties",
            Prefetch(
                "targets",
                queryset=Target.objects.order_by("order", "id").prefetch_related("parties"),
            ),
        )
    )


def concept_page(framework: Framework, user: Any, theme_id: int | None) -> ConceptPage:
    """The framework's texts, its themes (to choose from) and the chosen theme (the first by
    default) with its agreements and their targets; an unknown theme is a 404."""
    document = services.ref(framework.pk)
    threads = drafting.threads(drafting.comments(document))
    present = drafting.presence(document, user)
    can_edit = services.can_edit(user, framework)
    themes = list(framework.themes.order_by("number"))
    theme = themes[0] if themes and theme_id is None else None
    if theme_id is not None:
        theme = next((t for t in themes if t.pk == theme_id), None)
        if theme is None:
            raise Http404("Thema niet gevonden")
    _decorate([framework], TEXTS, threads, present, can_edit)
    page = ConceptPage(
        framework=framework,
        texts=framework,
        themes=themes,
        theme=theme,
        parties=framework_parties(framework),
        can_edit=can_edit,
        can_comment=services.can_comment(user, framework),
    )
    if theme is not None:
        _decorate([theme], THEME, threads, present, can_edit)
        page.agreements = _agreements(theme)
        for agreement in page.agreements:
            agreement.theme = theme
        _decorate(page.agreements, AGREEMENT, threads, present, can_edit)
        targets = [t for a in page.agreements for t in a.targets.all()]
        _decorate(targets, TARGET, threads, present, can_edit)
    return page


def concept_piece(framework: Framework, kind: str, piece_id: int, user: Any):
    """One piece of the framework, decorated; Http404 for an unknown kind or piece."""
    piece_kind = KINDS.get(kind)
    if piece_kind is None:
        raise Http404("Onbekend onderdeel")
    queryset = piece_kind.model.objects.filter(
        pk=piece_id, **{piece_kind.framework_path: framework.pk}
    )
    if kind == AGREEMENT:
        queryset = queryset.select_related("theme").prefetch_related("responsible_parties")
    elif kind == TARGET:
        queryset = queryset.select_related("agreement__theme").prefetch_related("parties")
    piece = queryset.first()
    if piece is None:
        raise Http404("Onderdeel niet gevonden")
    key = {"piece_type": kind, "piece_id": piece_id}
    document = services.ref(framework.pk)
    threads = drafting.threads(drafting.comments(document, **key))
    present = drafting.presence(document, user, **key)
    _decorate([piece], kind, threads, present, services.can_edit(user, framework))
    return piece


def theme_of(kind: str, piece) -> int | None:
    """The theme a piece is shown under on the drafting page (None: the framework's texts)."""
    if kind == THEME:
        return piece.pk
    if kind == AGREEMENT:
        return piece.theme_id
    if kind == TARGET:
        return piece.agreement.theme_id
    return None


TEXT_KEYS = tuple(dict.fromkeys(name for kind in KINDS.values() for name in kind.text_fields))


def snapshot_text(snapshot: dict | None) -> str:
    """The texts of any piece's snapshot, for the history's word diff."""
    snapshot = snapshot or {}
    return "\n\n".join(str(snapshot[name]) for name in TEXT_KEYS if snapshot.get(name)).strip()


def with_changed_fields(changes: list[PieceChange]) -> list[PieceChange]:
    """Give each change of a piece the fields beside its texts that it changed, as people read
    them: (label, before, after), e.g. ("Doelwaarde", "478", "526"). The texts have their word
    diff; two queries per kind of piece, whatever the number of changes."""
    by_kind: dict[str, list[PieceChange]] = defaultdict(list)
    for change in changes:
        change.fields = []
        if change.piece_type in KINDS and change.before is not None:
            by_kind[change.piece_type].append(change)
    for key, group in by_kind.items():
        kind = KINDS[key]
        shown = shown_fields(kind, [s for c in group for s in (c.before, c.after)])
        for index, change in enumerate(group):
            before, after = shown[2 * index], shown[2 * index + 1]
            change.fields = [
                (label, was, now)
                for name, (label, was), (_label, now) in zip(
                    kind.fields, before, after, strict=True
                )
                if was != now and name not in kind.text_fields
            ]
    return changes


def piece_labels(changes: list[PieceChange]) -> dict[tuple[str, int], str]:
    """A readable label per piece of these changes (one query per kind); a removed piece is
    named by what it said last."""
    labels: dict[tuple[str, int], str] = {}
    for kind, piece_kind in KINDS.items():
        ids = {c.piece_id for c in changes if c.piece_type == kind}
        if not ids:
            continue
        rows = piece_kind.model.objects.filter(pk__in=ids)
        if kind == AGREEMENT:
            rows = rows.select_related("theme")
        for piece in rows:
            labels[(kind, piece.pk)] = f"{piece_kind.label}: {_label(kind, piece)}"
    for change in changes:
        key = (change.piece_type, change.piece_id)
        if key not in labels and change.before and change.piece_type in KINDS:
            said = change.before.get("title") or change.before.get("label") or ""
            labels[key] = f"{KINDS[change.piece_type].label}: {said}"
    return labels
