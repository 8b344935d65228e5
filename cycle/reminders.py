"""Writes of the cycle. Every service is atomic and writes its audit entry in the same
transaction; callers have already decided access (cycle.access), services check the rules
that hold whoever calls them (a draft is changed only by its own corporation, and so on)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agreements.models import Party
from cycle.calendar import last_day
from cycle.models import (
    Milestone,
    ReminderSent,
)

OVERDUE_CATCH_UP_DAYS = 7

User = get_user_model()


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
    from cycle.jaarschijf.signing import SIGNED_DELIVERABLE, unsigned_parties
    from cycle.models import Jaarschijf

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
