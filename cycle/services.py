"""Writes of the cycle. Every service is atomic and writes its audit entry in the same
transaction; callers have already decided access (cycle.access), services check the rules
that hold whoever calls them (a draft is changed only by its own corporation, and so on)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.access import user_party
from agreements.models import Agreement, Framework, Party, ProcessStep, Target

from .calendar import last_day, step_deadline
from .models import (
    AuditEntry,
    Bid,
    BidLine,
    BidThemeNote,
    BidUpload,
    CyclePreference,
    CycleYear,
    Figure,
    Milestone,
    ReminderSent,
    new_feed_token,
)

logger = logging.getLogger(__name__)
User = get_user_model()


def _audit(actor: Any, action: str, obj: Any, **details: Any) -> None:
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        details={key: str(value) for key, value in details.items()},
    )


# --- cycle years and milestones -----------------------------------------------------------


def _step_owners(step: ProcessStep, parties: list[Party]) -> list[Party | None]:
    """Blank owner kind: the working group together (None); otherwise one per party of the kind
    (each corporation has its own bid milestone)."""
    if not step.owner_kind:
        return [None]
    return [party for party in parties if party.kind == step.owner_kind]


@transaction.atomic
def cycle_year_create(*, framework: Framework, year: int, actor: Any = None) -> CycleYear:
    """Create the cycle year with the milestones of the framework's process calendar.

    Running it again for an existing year adds only the milestones that are missing (a new
    process step, a new corporation); existing milestones and their moved dates stay as they are.
    """
    cycle_year, created = CycleYear.objects.get_or_create(
        framework=framework, year=year, defaults={"municipality": framework.municipality}
    )
    parties = list(framework.parties.order_by("name"))
    existing = set(cycle_year.milestones.values_list("source_step_id", "owner_party_id"))
    new = []
    for step in framework.process_steps.order_by("order"):
        deadline = step_deadline(step, year)
        if deadline is None:
            continue  # a period without a deadline ("juli-november") is no milestone
        title = step.deliverable or step.description.split(".")[0][:200]
        for owner in _step_owners(step, parties):
            if (step.pk, owner.pk if owner else None) in existing:
                continue
            new.append(
                Milestone(
                    cycle_year=cycle_year,
                    kind=(
                        Milestone.Kind.BID
                        if step.owner_kind == Party.Kind.CORPORATION
                        else Milestone.Kind.GENERAL
                    ),
                    title=f"{title} – {owner.name}" if owner else title,
                    description=step.description,
                    deadline=deadline,
                    owner_party=owner,
                    owner_kind=step.owner_kind,
                    is_statutory=step.is_statutory,
                    deliverable_year=year + 1 if step.applies_to_next_year else year,
                    source_step=step,
                )
            )
    Milestone.objects.bulk_create(new)
    if created or new:
        _audit(actor, "cycle_year_create", cycle_year, milestones=len(new))
    return cycle_year


def _check_deadline(milestone: Milestone, deadline: dt.date) -> None:
    if milestone.is_statutory and milestone.pk and deadline != milestone.deadline:
        raise ValidationError({"deadline": _("Een wettelijke termijn kan niet worden verschoven.")})
    year = milestone.cycle_year.year
    if not (year - 1 <= deadline.year <= year + 1):
        raise ValidationError(
            {"deadline": _("Kies een datum in of rond het cyclusjaar %(year)s.") % {"year": year}}
        )


@transaction.atomic
def milestone_update(
    *, actor: Any, milestone: Milestone, title: str, deadline: dt.date, note: str
) -> Milestone:
    milestone = (
        Milestone.objects.select_for_update().select_related("cycle_year").get(pk=milestone.pk)
    )
    _check_deadline(milestone, deadline)
    changed = {}
    if deadline != milestone.deadline:
        changed["deadline"] = f"{milestone.deadline} -> {deadline}"
    if title != milestone.title:
        changed["title"] = title
    if note != milestone.note:
        changed["note"] = "gewijzigd"
    if not changed:
        return milestone
    milestone.title, milestone.deadline, milestone.note = title, deadline, note
    milestone.sequence += 1
    milestone.save()
    if "deadline" in changed:
        # Reminders follow the new date: steps sent for the old date may be sent again.
        milestone.reminders.all().delete()
    _audit(actor, "milestone_update", milestone, **changed)
    return milestone


@transaction.atomic
def milestone_add(
    *,
    actor: Any,
    cycle_year: CycleYear,
    title: str,
    deadline: dt.date,
    owner_party: Party | None = None,
    each_corporation: bool = False,
    note: str = "",
    description: str = "",
) -> Milestone:
    """Add a milestone; with ``each_corporation`` one per corporation of the framework, like
    the bid (the first is returned)."""
    if each_corporation:
        corporations = list(
            cycle_year.framework.parties.filter(kind=Party.Kind.CORPORATION).order_by("name")
        )
        if not corporations:
            raise ValidationError(_("Dit kader heeft geen corporaties."))
        added = [
            milestone_add(
                actor=actor,
                cycle_year=cycle_year,
                title=f"{title} – {corporation.name}",
                deadline=deadline,
                owner_party=corporation,
                note=note,
                description=description,
            )
            for corporation in corporations
        ]
        return added[0]
    if (
        owner_party is not None
        and not cycle_year.framework.parties.filter(pk=owner_party.pk).exists()
    ):
        raise ValidationError({"owner": _("Deze partij hoort niet bij het kader.")})
    milestone = Milestone(
        cycle_year=cycle_year,
        title=title,
        description=description,
        deadline=deadline,
        owner_party=owner_party,
        owner_kind=owner_party.kind if owner_party else "",
        deliverable_year=cycle_year.year,
        note=note,
    )
    _check_deadline(milestone, deadline)
    milestone.save()
    _audit(actor, "milestone_add", milestone, title=title, deadline=deadline)
    return milestone


@transaction.atomic
def milestone_set_done(
    *, actor: Any, milestone: Milestone, done: bool, at: dt.datetime | None = None
) -> Milestone:
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if done == (milestone.done_at is not None):
        return milestone
    milestone.done_at = (at or timezone.now()) if done else None
    milestone.sequence += 1
    milestone.save(update_fields=["done_at", "sequence", "updated_at"])
    _audit(actor, "milestone_done" if done else "milestone_reopen", milestone)
    return milestone


# --- bids ---------------------------------------------------------------------------------


def _check_corporation(actor: Any, corporation: Party) -> None:
    """Only the corporation's own people write its bids (the demo loader passes actor=None)."""
    if actor is None:
        return
    if user_party(actor) != corporation or corporation.kind != Party.Kind.CORPORATION:
        raise PermissionDenied(_("U werkt niet voor deze corporatie."))


def default_links(framework: Framework) -> dict[str, Target]:
    """Per core figure the framework target with the same code, if the framework has one."""
    targets = Target.objects.filter(
        agreement__theme__framework=framework, code__in=Figure.values
    ).select_related("agreement", "agreement__theme")
    return {target.code: target for target in targets}


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
        created_by=actor,
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
    _audit(actor, "bid_draft_start", bid, version=bid.version)
    return bid


@dataclass
class LineInput:
    quantity: Decimal | None
    explanation: str = ""
    agreement: Agreement | None = None


def _check_draft(actor: Any, bid: Bid) -> Bid:
    bid = Bid.objects.select_for_update().select_related("cycle_year__framework").get(pk=bid.pk)
    _check_corporation(actor, bid.corporation)
    if bid.status != Bid.Status.DRAFT:
        raise ValidationError(_("Dit bod is al ingediend en kan niet meer worden gewijzigd."))
    return bid


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
    for figure, data in lines.items():
        if figure not in Figure.values:
            raise ValidationError(_("Onbekend kerncijfer: %(figure)s") % {"figure": figure})
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
    _audit(actor, "bid_lines_save", bid, figures=",".join(lines))
    return bid


@transaction.atomic
def bid_submit(*, actor: Any, bid: Bid, at: dt.datetime | None = None) -> Bid:
    """Submit the draft: it becomes the current version, the previous one is superseded, and
    the corporation's bid milestone is done (late or not, the status function tells)."""
    list(Party.objects.select_for_update().filter(pk=bid.corporation_id).values_list("pk"))
    bid = _check_draft(actor, bid)
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
    bid.submitted_by = actor
    bid.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    milestone = bid_milestone(bid.cycle_year, bid.corporation)
    if milestone is not None and milestone.done_at is None:
        milestone_set_done(actor=actor, milestone=milestone, done=True, at=at)
    _audit(actor, "bid_submit", bid, version=bid.version, at=at.isoformat())
    return bid


# A workbook of at least this size is read by a worker when a real broker is configured
# (REDIS_URL); smaller ones, and every upload with eager tasks, are read in the request.
ASYNC_UPLOAD_BYTES = 256 * 1024


def bid_upload(*, actor: Any, cycle_year: CycleYear, corporation: Party, upload: Any) -> BidUpload:
    """Receive an uploaded workbook for the corporation's draft: all lines or nothing.

    The cheap checks (extension, size, zip directory) run at once. A large workbook, with a
    real Celery broker, is stored and read by a worker (status "pending" until then); any other
    is read here. The upload record is written whatever the outcome, with the error report
    when refused; the draft changes only when the whole workbook is valid.
    """
    from django.core.files.base import ContentFile

    from . import bid_xlsx

    _check_corporation(actor, corporation)
    data = upload.read(settings.MAX_UPLOAD_MB * 1024 * 1024 + 1)
    record = BidUpload(
        corporation=corporation,
        cycle_year=cycle_year,
        uploaded_by=actor,
        filename=(getattr(upload, "name", "") or "bod.xlsx")[:255],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        status=BidUpload.Status.PENDING,
    )
    errors = bid_xlsx.check_container(data, record.filename)
    if errors:
        record.status = BidUpload.Status.REJECTED
        record.errors = errors
        record.save()
        return record
    threshold = getattr(settings, "BID_UPLOAD_ASYNC_BYTES", ASYNC_UPLOAD_BYTES)
    if len(data) >= threshold and not settings.CELERY_TASK_ALWAYS_EAGER:
        from .tasks import process_bid_upload

        with transaction.atomic():
            record.file.save(f"{record.sha256}.xlsx", ContentFile(data), save=False)
            record.save()
            pk = record.pk
            transaction.on_commit(lambda: process_bid_upload.delay(pk))
        return record
    record.save()
    return _bid_upload_apply(record, data)


def bid_upload_process(*, upload_id: int) -> BidUpload:
    """The worker's half of a large upload; idempotent (a processed upload is left alone)."""
    record = BidUpload.objects.select_related("cycle_year__framework", "corporation").get(
        pk=upload_id
    )
    if record.status != BidUpload.Status.PENDING:
        return record
    with record.file.open("rb") as handle:
        data = handle.read()
    try:
        return _bid_upload_apply(record, data)
    finally:
        # The workbook is not kept once read: the draft (or the error report) is the record.
        record.file.delete(save=False)
        BidUpload.objects.filter(pk=record.pk).update(file="")


def _bid_upload_apply(record: BidUpload, data: bytes) -> BidUpload:
    from . import bid_xlsx  # openpyxl is imported only when a workbook is read

    actor = record.uploaded_by
    cycle_year, corporation = record.cycle_year, record.corporation
    result = bid_xlsx.read_bid_workbook(
        data, filename=record.filename, cycle_year=cycle_year, corporation=corporation
    )
    if result.errors:
        return _upload_reject(record, result.errors)
    try:
        with transaction.atomic():
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
            _audit(actor, "bid_upload", bid, filename=record.filename, sha256=record.sha256)
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


# --- preferences and calendar feed --------------------------------------------------------


def preference_get(user: Any) -> CyclePreference:
    preference, _created = CyclePreference.objects.get_or_create(user=user)
    return preference


@transaction.atomic
def preference_update(*, user: Any, reminders_enabled: bool) -> CyclePreference:
    preference = preference_get(user)
    preference.reminders_enabled = reminders_enabled
    preference.save(update_fields=["reminders_enabled"])
    _audit(user, "preference_update", preference, reminders_enabled=reminders_enabled)
    return preference


@transaction.atomic
def feed_token_regenerate(*, user: Any) -> CyclePreference:
    preference = preference_get(user)
    preference.feed_token = new_feed_token()
    preference.save(update_fields=["feed_token"])
    _audit(user, "feed_token_regenerate", preference)
    return preference


# --- reminders ----------------------------------------------------------------------------

OVERDUE_CATCH_UP_DAYS = 7


def reminder_step(days_left: int) -> str | None:
    """Which reminder is due with this many days left before the (exclusive) deadline.

    The tightest step that applies: a run that was missed still sends the latest step, never
    the earlier ones. "overdue" is sent from the deadline day on, for a week at most.
    """
    if days_left <= 0:
        return ReminderSent.Step.OVERDUE if days_left > -OVERDUE_CATCH_UP_DAYS else None
    if days_left <= 3:
        return ReminderSent.Step.DAYS_3
    if days_left <= 14:
        return ReminderSent.Step.DAYS_14
    if days_left <= 30:
        return ReminderSent.Step.DAYS_30
    return None


def _recipients(party: Party, *, working_group_only: bool, role: str | None = None) -> list[str]:
    users = User.objects.filter(membership__party=party, is_active=True, email__gt="").exclude(
        cycle_preference__reminders_enabled=False
    )
    if working_group_only:
        role = "working_group"
    if role:
        users = users.filter(membership__role=role)
    return sorted(set(users.values_list("email", flat=True)))


def _reminder_text(
    milestone: Milestone, step: str, days_left: int | None, *, signatory: bool = False
) -> tuple[str, str]:
    due = last_day(milestone.deadline).strftime("%d-%m-%Y")
    if step == ReminderSent.Step.OVERDUE:
        subject = _("Termijn verstreken: %(title)s") % {"title": milestone.title}
        lead = _("De termijn van deze mijlpaal is verstreken (uiterlijk %(due)s).") % {"due": due}
    else:
        subject = _("Herinnering: %(title)s (nog %(days)s dagen)") % {
            "title": milestone.title,
            "days": days_left if days_left is not None else step,
        }
        lead = _("Deze mijlpaal moet uiterlijk %(due)s gereed zijn.") % {"due": due}
    statutory = _(" Dit is een wettelijke termijn.") if milestone.is_statutory else ""
    if signatory:
        why = _(
            "U ontvangt deze e-mail omdat u ondertekenaar bent van uw organisatie en uw "
            "organisatie de jaarschijf nog niet heeft ondertekend. Tekenen doet u in het portaal: "
            "Ondertekening. Herinneringen zet u zelf uit: Jaarcyclus, Herinneringen en agenda."
        )
    else:
        why = _(
            "U ontvangt deze e-mail omdat uw organisatie eigenaar is van deze mijlpaal. "
            "Herinneringen zet u zelf uit: Jaarcyclus, Herinneringen en agenda."
        )
    body = f"{lead}{statutory}\n\n{milestone.title}\n{milestone.description}\n\n{why}"
    return subject, body


def _unsigned_parties(milestone: Milestone) -> list[Party] | None:
    """For the "Jaarschijf ondertekend" milestone while its jaarschijf is ter ondertekening:
    the parties that have not signed the current round; None for any other milestone or state
    (then the milestone's own owners are reminded: the working group gets the jaarschijf ready).
    """
    from .jaarschijf_signing import SIGNED_DELIVERABLE, unsigned_parties
    from .models import Jaarschijf

    if milestone.source_step_id is None or milestone.source_step.deliverable != SIGNED_DELIVERABLE:
        return None
    jaarschijf = Jaarschijf.objects.filter(cycle_year_id=milestone.cycle_year_id).first()
    if jaarschijf is None:
        return None
    if jaarschijf.state == Jaarschijf.State.SIGNED:
        return []
    return unsigned_parties(jaarschijf)


def _reminder_targets(milestone: Milestone) -> list[tuple[Party, bool]]:
    """(party, working-group members only) pairs: the owner, or for a working-group milestone
    the working-group members of every party of the framework."""
    if milestone.owner_party_id:
        return [(milestone.owner_party, False)]
    return [(party, True) for party in milestone.cycle_year.framework.parties.all()]


def reminder_deliver(
    *,
    party: Party,
    milestone: Milestone,
    step: str,
    days_left: int | None = None,
    signatories: bool = False,
) -> bool:
    """Send one reminder at most once: insert the ReminderSent row first, then send, in one
    transaction. A second run (or a second worker at the same moment) fails on the unique
    constraint and sends nothing; if sending fails, the row is rolled back and a later run
    tries again. ``signatories``: to the party's signatories (a jaarschijf to sign) instead
    of the milestone's owners."""
    working_group_only = milestone.owner_party_id is None and not signatories
    try:
        with transaction.atomic():
            row = ReminderSent.objects.create(party=party, milestone=milestone, step=step)
            recipients = _recipients(
                party,
                working_group_only=working_group_only,
                role="signatory" if signatories else None,
            )
            if recipients:
                subject, body = _reminder_text(milestone, step, days_left, signatory=signatories)
                # One message per recipient: addresses of other people are never disclosed.
                for address in recipients:
                    send_mail(subject, body, None, [address])
            row.recipients = len(recipients)
            row.save(update_fields=["recipients"])
    except IntegrityError:
        return False
    return True


def reminders_send(*, today: dt.date) -> int:
    """Send every reminder that is due on this Amsterdam day; returns how many were sent."""
    horizon = today + dt.timedelta(days=30)
    earliest = today - dt.timedelta(days=OVERDUE_CATCH_UP_DAYS - 1)
    milestones = (
        Milestone.objects.filter(
            done_at__isnull=True, deadline__gte=earliest, deadline__lte=horizon
        )
        .select_related("owner_party", "cycle_year__framework", "source_step")
        .prefetch_related("cycle_year__framework__parties")
    )
    already = set(
        ReminderSent.objects.filter(milestone__in=milestones).values_list(
            "party_id", "milestone_id", "step"
        )
    )
    sent = 0
    for milestone in milestones:
        days_left = (milestone.deadline - today).days
        step = reminder_step(days_left)
        if step is None:
            continue
        # A jaarschijf ter ondertekening: the signatories of the parties that have not yet
        # signed are reminded instead. A step already sent for a party (to its working group,
        # before the jaarschijf was put up) is not sent again: the signatories had the
        # "ter ondertekening" e-mail when it was put up.
        unsigned = _unsigned_parties(milestone)
        if unsigned is None:
            targets = [(party, False) for party, _wg_only in _reminder_targets(milestone)]
        else:
            targets = [(party, True) for party in unsigned]
        for party, signatories in targets:
            if (party.pk, milestone.pk, step) in already:
                continue
            sent += reminder_deliver(
                party=party,
                milestone=milestone,
                step=step,
                days_left=days_left,
                signatories=signatories,
            )
    return sent
