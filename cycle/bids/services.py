"""Writes of the cycle. Every service is atomic and writes its audit entry in the same
transaction; callers have already decided access (cycle.access), services check the rules
that hold whoever calls them (a draft is changed only by its own corporation, and so on)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.access import framework_party_ids, user_party
from agreements.models import Party
from core import jobs
from core.actors import is_system, person
from core.already import AlreadyDone
from core.audit import audit_log
from core.conflicts import EditConflict, FieldConflict, three_way
from cycle.bids.drafts import stored_values, typed_values
from cycle.bids.plausibility import quantity_problem
from cycle.bids.selectors import corporation_stock, default_links
from cycle.bids.types import LineInput
from cycle.models import (
    DEMO_MARK,
    Bid,
    BidLine,
    BidReading,
    BidThemeNote,
    BidUpload,
    CycleYear,
    Figure,
    Milestone,
)
from cycle.services import milestone_set_done

logger = logging.getLogger(__name__)

ASYNC_UPLOAD_BYTES = 256 * 1024
ALREADY_SUBMITTED = gettext_lazy("Dit bod is al ingediend.")


def _check_corporation(actor: Any, corporation: Party) -> None:
    """Only the corporation's own people write its bids (and the portal's own jobs)."""
    if is_system(actor):
        return
    if user_party(actor) != corporation or corporation.kind != Party.Kind.CORPORATION:
        raise PermissionDenied(_("U werkt niet voor deze corporatie."))


def bid_milestone(cycle_year: CycleYear, corporation: Party) -> Milestone | None:
    return (
        cycle_year.milestones.filter(kind=Milestone.Kind.BID, owner_party=corporation)
        .order_by("deadline")
        .first()
    )


@transaction.atomic
def bid_draft_start(*, actor: Any, cycle_year: CycleYear, corporation: Party) -> Bid:
    """The corporation's draft for the year: the existing one, or a new version that starts
    from the current submitted version (or from empty lines linked to the framework)."""
    _check_corporation(actor, corporation)
    # Lock the corporation's row: two tabs (or an upload and a click) starting a draft at the
    # same moment are serialised, even when the corporation has no bid yet to lock.
    list(Party.objects.select_for_update().filter(pk=corporation.pk).values_list("pk"))
    current = list(
        Bid.objects.filter(cycle_year=cycle_year, corporation=corporation).order_by("-version")
    )
    draft = next((bid for bid in current if bid.status == Bid.Status.DRAFT), None)
    if draft is not None:
        return draft
    milestone = bid_milestone(cycle_year, corporation)
    plan_year = milestone.deliverable_year if milestone else cycle_year.year + 1
    bid = Bid.objects.create(
        corporation=corporation,
        cycle_year=cycle_year,
        plan_year=plan_year,
        version=(current[0].version + 1) if current else 1,
        created_by=person(actor),
        is_demo=False,
    )
    source = next((b for b in current if b.status == Bid.Status.SUBMITTED), None)
    if source is not None:
        bid.summary = source.summary
        bid.save(update_fields=["summary"])
        BidLine.objects.bulk_create(
            BidLine(
                bid=bid,
                figure=line.figure,
                quantity=line.quantity,
                explanation=line.explanation,
                theme_id=line.theme_id,
                agreement_id=line.agreement_id,
                target_id=line.target_id,
            )
            for line in source.lines.all()
        )
        BidThemeNote.objects.bulk_create(
            BidThemeNote(bid=bid, theme_id=note.theme_id, text=note.text)
            for note in source.theme_notes.all()
        )
    else:
        links = default_links(cycle_year.framework)
        BidLine.objects.bulk_create(
            BidLine(
                bid=bid,
                figure=figure,
                target=links.get(figure),
                agreement=links[figure].agreement if figure in links else None,
                theme=links[figure].agreement.theme if figure in links else None,
            )
            for figure in Figure.values
        )
    audit_log(actor=actor, action="bid_draft_start", obj=bid, version=bid.version)
    return bid


def _check_draft(actor: Any, bid: Bid) -> Bid:
    bid = Bid.objects.select_for_update().select_related("cycle_year__framework").get(pk=bid.pk)
    _check_corporation(actor, bid.corporation)
    if bid.status != Bid.Status.DRAFT:
        raise AlreadyDone(_("Dit bod is al ingediend en kan niet meer worden gewijzigd."))
    return bid


def _drop_replaced_demo_texts(bid: Bid) -> None:
    """Once real figures replace the demo's, the demo's generated texts that came with the draft
    go: a line's explanation where its figure is no longer the demo's, and (from the first real
    figure on) the summary and the notes per theme. Each is compared with the demo version the
    draft started from, so a form that sends the old text back does not bring it back, and
    whatever the user typed instead is kept."""
    demo = (
        Bid.objects.filter(
            cycle_year_id=bid.cycle_year_id,
            corporation_id=bid.corporation_id,
            status=Bid.Status.SUBMITTED,
            is_demo=True,
        )
        .prefetch_related("lines", "theme_notes")
        .first()
    )
    if demo is None or bid.is_demo:
        return

    def generated(text: str, source: str | None) -> bool:
        return bool(text) and text == source and text.startswith(DEMO_MARK)

    demo_lines = {line.figure: line for line in demo.lines.all()}
    real = False
    for line in bid.lines.all():
        source = demo_lines.get(line.figure)
        if source is None or line.quantity == source.quantity:
            continue
        real = True
        if generated(line.explanation, source.explanation):
            line.explanation = ""
            line.save(update_fields=["explanation"])
    if not real:
        return
    demo_notes = {note.theme_id: note.text for note in demo.theme_notes.all()}
    for note in bid.theme_notes.all():
        if generated(note.text, demo_notes.get(note.theme_id)):
            note.text = ""
            note.save(update_fields=["text"])
    if generated(bid.summary, demo.summary):
        bid.summary = ""
        bid.save(update_fields=["summary", "updated_at"])


@transaction.atomic
def bid_lines_save(
    *,
    actor: Any,
    bid: Bid,
    lines: Mapping[str, LineInput],
    summary: str | None = None,
    source: str | None = None,
    theme_notes: Mapping[int, str] | None = None,
) -> Bid:
    """Save (part of) a draft's lines and its notes per theme (keyed by theme number); figures
    and themes not given stay as they are."""
    bid = _check_draft(actor, bid)
    framework_id = bid.cycle_year.framework_id
    targets = default_links(bid.cycle_year.framework)
    existing = {line.figure: line for line in bid.lines.all()}
    stock = corporation_stock(bid.corporation) if lines else None
    for figure, data in lines.items():
        if figure not in Figure.values:
            raise ValidationError(_("Onbekend kerncijfer: %(figure)s") % {"figure": figure})
        problem = quantity_problem(figure, data.quantity, stock=stock)
        if problem:
            raise ValidationError(f"{Figure(figure).label}: {problem}")
        agreement = data.agreement
        if agreement is not None and agreement.theme.framework_id != framework_id:
            raise ValidationError(_("Deze afspraak hoort niet bij het kader."))
        line = existing.get(figure) or BidLine(bid=bid, figure=figure)
        line.quantity = data.quantity
        line.explanation = data.explanation.strip()
        line.agreement = agreement
        line.theme = agreement.theme if agreement else None
        target = targets.get(figure)
        line.target = (
            target if target and agreement and target.agreement_id == agreement.pk else None
        )
        line.save()
    if theme_notes:
        themes = {t.number: t for t in bid.cycle_year.framework.themes.all()}
        notes = {note.theme_id: note for note in bid.theme_notes.all()}
        for number, text in theme_notes.items():
            theme = themes.get(number)
            if theme is None:
                raise ValidationError(
                    _("Thema %(number)s bestaat niet in het kader.") % {"number": number}
                )
            note = notes.get(theme.pk) or BidThemeNote(bid=bid, theme=theme)
            note.text = text.strip()
            note.save()
    fields = ["updated_at"]
    if summary is not None:
        bid.summary = summary.strip()
        fields.append("summary")
    if source is not None:
        bid.source = source
        fields.append("source")
    bid.save(update_fields=fields)
    if not is_system(actor):  # the demo loader writes the demo's own versions
        _drop_replaced_demo_texts(bid)
    audit_log(actor=actor, action="bid_lines_save", obj=bid, figures=",".join(lines))
    return bid


def _draft_to_submit(actor: Any, bid: Bid) -> Bid:
    """Lock the corporation, then the bid (always in this order, so that a submit and a
    save-and-submit cannot deadlock), and read the status under the lock: of simultaneous
    submits one goes through and the others find it submitted (AlreadyDone)."""
    list(Party.objects.select_for_update().filter(pk=bid.corporation_id).values_list("pk"))
    locked = Bid.objects.select_for_update().select_related("cycle_year__framework").get(pk=bid.pk)
    _check_corporation(actor, locked.corporation)
    if locked.status != Bid.Status.DRAFT:
        raise AlreadyDone(ALREADY_SUBMITTED)
    return locked


@transaction.atomic
def bid_submit(*, actor: Any, bid: Bid, at: dt.datetime | None = None) -> Bid:
    """Submit the draft: it becomes the current version, the previous one is superseded, and
    the corporation's bid milestone is done (late or not, the status function tells)."""
    bid = _draft_to_submit(actor, bid)
    missing = [line.get_figure_display() for line in bid.lines.all() if line.quantity is None]
    if missing or not bid.lines.exists():
        raise ValidationError(
            _("Vul bij elk kerncijfer een aantal in (0 mag). Ontbreekt: %(figures)s")
            % {"figures": ", ".join(missing) or _("alle kerncijfers")}
        )
    at = at or timezone.now()
    Bid.objects.select_for_update().filter(
        cycle_year=bid.cycle_year, corporation=bid.corporation, status=Bid.Status.SUBMITTED
    ).update(status=Bid.Status.SUPERSEDED)
    bid.status = Bid.Status.SUBMITTED
    bid.submitted_at = at
    bid.submitted_by = person(actor)
    bid.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    milestone = bid_milestone(bid.cycle_year, bid.corporation)
    if milestone is not None and milestone.done_at is None:
        milestone_set_done(actor=actor, milestone=milestone, done=True, at=at)
    audit_log(actor=actor, action="bid_submit", obj=bid, version=bid.version, at=at.isoformat())
    return bid


def bid_mark_read(*, actor: Any, bid: Bid) -> None:
    """A person of a reading party (municipality, tenant organisation) opened the submitted bid:
    it no longer waits for that party. Idempotent (a second reader, a reload or two tabs at
    once change nothing: the first reading stays). Like a presence beat, a reading is not
    audited. Nothing is recorded for the corporation itself, for another corporation, for a
    draft, or for a party outside the bid's framework."""
    if is_system(actor):
        return
    party = user_party(actor)
    if (
        party is None
        or party.kind == Party.Kind.CORPORATION
        or bid.status != Bid.Status.SUBMITTED
        or party.pk not in framework_party_ids(bid.cycle_year.framework)
    ):
        return
    BidReading.objects.bulk_create(
        [BidReading(bid=bid, party=party, read_by=person(actor))], ignore_conflicts=True
    )


@dataclass
class DraftSave:
    """The outcome of a form save: the fields that conflict (not written) and the new base
    per field for the form to carry (the value its screen now shows as stored)."""

    bid: Bid
    conflicts: dict[str, FieldConflict] = field(default_factory=dict)
    bases: dict[str, str] = field(default_factory=dict)


@transaction.atomic
def bid_draft_save(
    *,
    actor: Any,
    bid: Bid,
    lines: Mapping[str, LineInput],
    based_on: Mapping[str, str],
    summary: str | None = None,
    theme_notes: Mapping[int, str] | None = None,
    submit: bool = False,
) -> DraftSave:
    """Save what the web form holds (autosave, "Concept opslaan"), based on the values its
    screen was given (``based_on``, per form field): fields the editor did not change are left
    as a colleague may have stored them since, changed fields land, and a field changed both
    here and by someone else is not written but returned as a conflict (both values).

    With ``submit`` ("Bod indienen") the draft is saved and submitted in one transaction, so
    that nothing typed since the last autosave is lost; a conflict (EditConflict) or a refused
    submit saves nothing and the form shows everything again as typed. The bid's row lock is
    taken before the compare, so of two simultaneous saves the second compares with the first.
    """
    if submit:
        _draft_to_submit(actor, bid)  # locks first, so a second "Bod indienen" saves nothing
    locked = _check_draft(actor, bid)
    stored = stored_values(locked)
    typed = typed_values(lines, summary, theme_notes)
    write, conflicts = three_way(base=based_on, yours=typed, current=stored)
    if conflicts and submit:
        raise EditConflict(
            piece_type="bid",
            piece_id=locked.pk,
            yours={name: c.yours for name, c in conflicts.items()},
            current={name: c.theirs for name, c in conflicts.items()},
            current_version=locked.version,
            based_on=locked.version,
        )
    existing = {line.figure: line for line in locked.lines.select_related("agreement__theme")}
    merged = {}
    for figure, data in lines.items():
        names = [f"quantity_{figure}", f"agreement_{figure}", f"explanation_{figure}"]
        if not write.intersection(names):
            continue
        line = existing.get(figure)
        merged[figure] = LineInput(
            quantity=data.quantity if names[0] in write or line is None else line.quantity,
            agreement=data.agreement if names[1] in write or line is None else line.agreement,
            explanation=(
                data.explanation if names[2] in write or line is None else line.explanation
            ),
        )
    notes = {n: t for n, t in (theme_notes or {}).items() if f"theme_{n}" in write}
    saved = locked
    if write:
        saved = bid_lines_save(
            actor=actor,
            bid=locked,
            lines=merged,
            summary=summary if "summary" in write else None,
            theme_notes=notes,
        )
    after = stored_values(saved)
    bases = {
        name: after.get(name, "")
        if name in write or value == stored.get(name, "")
        else based_on.get(name, stored.get(name, ""))
        for name, value in typed.items()
    }
    if submit:
        saved = bid_submit(actor=actor, bid=saved)
    return DraftSave(bid=saved, conflicts=conflicts, bases=bases)


@transaction.atomic
def bid_save_and_submit(
    *,
    actor: Any,
    bid: Bid,
    lines: Mapping[str, LineInput],
    summary: str | None = None,
    theme_notes: Mapping[int, str] | None = None,
) -> Bid:
    """ "Bod indienen" without a base (every value as given): save and submit in one go."""
    _draft_to_submit(actor, bid)  # locks first, so a second "Bod indienen" saves nothing
    bid = bid_lines_save(
        actor=actor, bid=bid, lines=lines, summary=summary, theme_notes=theme_notes
    )
    return bid_submit(actor=actor, bid=bid)


def bid_upload(*, actor: Any, cycle_year: CycleYear, corporation: Party, upload: Any) -> BidUpload:
    """Receive an uploaded workbook for the corporation's draft: all lines or nothing.

    The cheap checks (extension, size, zip directory) run at once. A large workbook, with a
    real Celery broker, is stored and read by a worker (status "pending" until then); any other
    is read here. The upload record is written whatever the outcome, with the error report
    when refused; the draft changes only when the whole workbook is valid.
    """
    from django.core.files.base import ContentFile

    from cycle.bids import xlsx as bid_xlsx

    _check_corporation(actor, corporation)
    filename = (getattr(upload, "name", "") or "bod.xlsx")[:255]
    # The gate first, on the file as uploaded (its true size); then at most the limit is read.
    errors = bid_xlsx.check_container(upload, filename)
    upload.seek(0)
    data = upload.read(settings.MAX_UPLOAD_MB * 1024 * 1024 + 1)
    record = BidUpload(
        corporation=corporation,
        cycle_year=cycle_year,
        uploaded_by=person(actor),
        filename=filename,
        size=getattr(upload, "size", None) or len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        status=BidUpload.Status.PENDING,
    )
    if errors:
        record.status = BidUpload.Status.REJECTED
        record.errors = errors
        record.save()
        return record
    threshold = getattr(settings, "BID_UPLOAD_ASYNC_BYTES", ASYNC_UPLOAD_BYTES)
    if len(data) >= threshold and not settings.CELERY_TASK_ALWAYS_EAGER:
        from cycle.bids.tasks import process_bid_upload

        with transaction.atomic():
            record.file.save(f"{record.sha256}.xlsx", ContentFile(data), save=False)
            record.started_at = timezone.now()
            record.save()
            pk = record.pk
            transaction.on_commit(lambda: process_bid_upload.delay(pk))
        return record
    record.save()
    return _bid_upload_apply(record, data)


def _upload_claim(upload_id: int) -> BidUpload | None:
    """Take a pending upload (first delivery or redelivery after a lost worker), counting the
    attempt; None when it is finished, or failed now because it was started too often."""
    with transaction.atomic():
        record = (
            BidUpload.objects.select_for_update()
            .select_related("cycle_year__framework", "corporation")
            .get(pk=upload_id)
        )
        if record.status != BidUpload.Status.PENDING:
            return None
        record.attempts += 1
        if jobs.too_many_attempts(record.attempts):
            _upload_fail(record, jobs.too_many_attempts_message())
            return None
        record.started_at = timezone.now()
        record.save(update_fields=["attempts", "started_at"])
    return record


def _upload_fail(record: BidUpload, reason: str) -> None:
    record.status = BidUpload.Status.FAILED
    record.errors = [reason]
    record.save(update_fields=["status", "errors", "attempts"])


def bid_upload_fail(*, upload_id: int, reason: str) -> bool:
    """Fail an upload still pending (its job broke off); False when it had finished."""
    with transaction.atomic():
        record = BidUpload.objects.select_for_update().get(pk=upload_id)
        if record.status != BidUpload.Status.PENDING:
            return False
        _upload_fail(record, reason)
    return True


def bid_upload_process(*, upload_id: int) -> BidUpload:
    """The worker's half of a large upload; idempotent (a processed upload is left alone).

    A job stopped by its time limit or broken by anything but the workbook fails with a Dutch
    reason and keeps its file, so that bid_upload_retry can start it again.
    """
    try:
        record = _upload_claim(upload_id)
        if record is None:
            return BidUpload.objects.get(pk=upload_id)
        jobs.pause_for_tests()
        with record.file.open("rb") as handle:
            data = handle.read()
        record = _bid_upload_apply(record, data)
    except SoftTimeLimitExceeded:
        bid_upload_fail(upload_id=upload_id, reason=str(jobs.STUCK_MESSAGE))
        raise
    except Exception:
        bid_upload_fail(upload_id=upload_id, reason=str(jobs.FAILED_MESSAGE))
        raise
    if record.status in {BidUpload.Status.ACCEPTED, BidUpload.Status.REJECTED}:
        # The workbook is not kept once read: the draft (or the error report) is the record.
        record.file.delete(save=False)
        BidUpload.objects.filter(pk=record.pk).update(file="")
    return record


def bid_upload_retry(*, actor: Any, record: BidUpload) -> BidUpload:
    """Start an upload again whose job failed by itself (time limit, lost worker).

    Checked like the upload itself (the corporation's own people). Under the row lock: of two
    clicks one restarts it, the other is told it is being processed (AlreadyDone).
    """
    _check_corporation(actor, record.corporation)
    with transaction.atomic():
        locked = BidUpload.objects.select_for_update().get(pk=record.pk)
        if locked.status == BidUpload.Status.PENDING and not locked.is_stuck:
            raise AlreadyDone(_("Dit bestand wordt al verwerkt."))
        if locked.shown_status != BidUpload.Status.FAILED or not locked.file:
            raise ValidationError(_("Deze upload kan niet opnieuw worden gestart."))
        locked.status = BidUpload.Status.PENDING
        locked.errors = []
        locked.attempts = 0
        locked.started_at = timezone.now()
        locked.save(update_fields=["status", "errors", "attempts", "started_at"])
        audit_log(actor=actor, action="bid_upload_retry", obj=locked, filename=locked.filename)
        from cycle.bids.tasks import process_bid_upload

        pk = locked.pk
        transaction.on_commit(lambda: process_bid_upload.delay(pk))
    return locked


def bid_uploads_fail_stuck(*, now: dt.datetime | None = None) -> int:
    """The watchdog's part: fail every upload still pending past its limit; how many."""
    cutoff = jobs.stuck_before(jobs.BID_UPLOAD, now)
    return (
        BidUpload.objects.filter(status=BidUpload.Status.PENDING)
        .filter(Q(started_at__lt=cutoff) | Q(started_at__isnull=True, created_at__lt=cutoff))
        .update(status=BidUpload.Status.FAILED, errors=[str(jobs.STUCK_MESSAGE)])
    )


def _bid_upload_apply(record: BidUpload, data: bytes) -> BidUpload:
    from cycle.bids import xlsx as bid_xlsx  # openpyxl is imported only when a workbook is read

    actor = record.uploaded_by
    cycle_year, corporation = record.cycle_year, record.corporation
    try:
        result = bid_xlsx.read_bid_workbook(
            data, filename=record.filename, cycle_year=cycle_year, corporation=corporation
        )
    except SoftTimeLimitExceeded:
        raise
    except Exception:
        # A workbook the reader did not foresee is refused (its content, so no retry), never
        # left "wordt verwerkt" (core.jobs fails the job for anything else).
        logger.exception("Bid upload %s could not be read", record.pk)
        return _upload_reject(record, [str(_("Het bestand kon niet worden gelezen."))])
    if result.errors:
        return _upload_reject(record, result.errors)
    try:
        with transaction.atomic():
            locked = BidUpload.objects.select_for_update().get(pk=record.pk)
            if locked.status != BidUpload.Status.PENDING:
                return locked  # failed by the watchdog, or written by another delivery
            bid = bid_draft_start(actor=actor, cycle_year=cycle_year, corporation=corporation)
            bid = bid_lines_save(
                actor=actor,
                bid=bid,
                lines=result.lines,
                source=Bid.Source.XLSX,
                theme_notes=result.theme_notes,
            )
            record.status = BidUpload.Status.ACCEPTED
            record.bid = bid
            record.line_count = len(result.lines)
            record.save(update_fields=["status", "bid", "line_count"])
            audit_log(
                actor=actor,
                action="bid_upload",
                obj=bid,
                filename=record.filename,
                sha256=record.sha256,
            )
    except (ValidationError, PermissionDenied) as error:
        messages = getattr(error, "messages", None) or [str(error)]
        return _upload_reject(record, list(messages))
    return record


def _upload_reject(record: BidUpload, errors: list[str]) -> BidUpload:
    record.status = BidUpload.Status.REJECTED
    record.errors = errors
    record.bid = None
    record.save(update_fields=["status", "errors", "bid"])
    return record
