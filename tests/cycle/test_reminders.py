import datetime as dt
import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections

from core.actors import DEMO_LOADER
from cycle import reminders as reminders
from cycle import services, tasks
from cycle.models import Milestone, ReminderSent
from cycle.reminders import reminder_step
from tests.factories import otp_code

# The bid milestone is "vóór 1 juli 2025"; 31 May is 31 days before, 1 June is 30 days before.


@pytest.mark.parametrize(
    ("days", "step"),
    [
        (31, None),
        (30, "30"),
        (15, "30"),
        (14, "14"),
        (4, "14"),
        (3, "3"),
        (1, "3"),
        (0, "overdue"),
        (-6, "overdue"),
        (-7, None),
    ],
)
def test_reminder_step(days, step):
    assert reminder_step(days) == step


def _bid_recipients():
    return sorted(address for m in mail.outbox for address in m.to)


def test_thirty_days_before_mails_each_corporation_once(world):
    sent = reminders.reminders_send(today=dt.date(2025, 6, 1))
    # three bid milestones, one per corporation; 15 December etc. are further away
    assert sent == 3
    assert "heemwonen@example.org" in _bid_recipients()
    assert "heemwonen-bestuur@example.org" in _bid_recipients()
    assert "huurders@example.org" not in _bid_recipients()
    assert ReminderSent.objects.filter(step="30").count() == 3


def test_running_twice_sends_nothing_more(world):
    reminders.reminders_send(today=dt.date(2025, 6, 1))
    count = len(mail.outbox)
    assert reminders.reminders_send(today=dt.date(2025, 6, 1)) == 0
    assert reminders.reminders_send(today=dt.date(2025, 6, 2)) == 0  # still the "30" step
    assert len(mail.outbox) == count


def test_next_steps_and_overdue_day(world):
    for day, step in [
        (dt.date(2025, 6, 17), "14"),
        (dt.date(2025, 6, 28), "3"),
        (dt.date(2025, 7, 1), "overdue"),
    ]:
        mail.outbox.clear()
        reminders.reminders_send(today=day)
        assert ReminderSent.objects.filter(step=step, milestone__kind="bid").count() == 3
        assert any("Termijn verstreken" in m.subject for m in mail.outbox) is (step == "overdue")


def test_done_milestone_gets_no_reminder(world, submitted_bid):
    reminders.reminders_send(today=dt.date(2025, 6, 28))
    heem = Milestone.objects.get(kind="bid", owner_party__slug="heemwonen")
    assert not ReminderSent.objects.filter(milestone=heem).exists()


def test_user_can_switch_reminders_off(world):
    services.preference_update(user=world.users["heemwonen"], reminders_enabled=False)
    reminders.reminders_send(today=dt.date(2025, 6, 1))
    assert "heemwonen@example.org" not in _bid_recipients()
    assert "heemwonen-bestuur@example.org" in _bid_recipients()


def test_working_group_milestone_goes_to_working_group_members(world):
    reminders.reminders_send(today=dt.date(2025, 11, 28))  # 3 days before "vóór 1 december"
    assert set(_bid_recipients()) == {"werkgroep@example.org"}
    milestone = Milestone.objects.get(title="Jaarschijf (definitief concept)")
    # one row per party of the framework, even where no one is in the working group
    assert ReminderSent.objects.filter(milestone=milestone, step="3").count() == 5


def test_moving_the_deadline_allows_new_reminders(world):
    milestone = world.cycle_year.milestones.get(title="Evaluatie (concept)")
    reminders.reminders_send(today=dt.date(2025, 3, 29))
    assert ReminderSent.objects.filter(milestone=milestone).exists()
    services.milestone_update(
        actor=world.users["werkgroep"],
        milestone=milestone,
        title=milestone.title,
        deadline=dt.date(2025, 4, 20),
        note="",
    )
    assert not ReminderSent.objects.filter(milestone=milestone).exists()


def test_failed_send_rolls_back_so_a_later_run_retries(world, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with pytest.raises(OSError):
        reminders.reminders_send(today=dt.date(2025, 6, 1))
    assert not ReminderSent.objects.exists()


def test_task_uses_amsterdam_today(world, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2025, 6, 1))
    assert tasks.send_reminders.delay().get() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite locks the whole database, so there is no race to prove"
        )
    real_send = reminders.send_mail

    def slow_send(*args, **kwargs):
        # Hold the transaction open with the ReminderSent row inserted, so the other worker
        # reaches its INSERT while this one has not committed yet.
        time.sleep(0.3)
        return real_send(*args, **kwargs)

    monkeypatch.setattr(reminders, "send_mail", slow_send)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(reminders.reminders_send(today=dt.date(2025, 6, 1)))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sum(results) == 3
    assert ReminderSent.objects.count() == 3
    per_address = {}
    for message in mail.outbox:
        for address in message.to:
            per_address[address] = per_address.get(address, 0) + 1
    assert per_address and all(count == 1 for count in per_address.values()), per_address


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_daily_task_runs_in_a_real_worker_through_redis(world):
    """With REDIS_URL set, the beat task goes through the broker to a worker and back."""
    import os

    from django.utils import timezone

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs a Redis server: set REDIS_URL (redis://127.0.0.1:6379/7)")
    from celery.contrib.testing.worker import start_worker

    from kerkrade_pa.celery import app

    services.milestone_add(
        actor=DEMO_LOADER,
        cycle_year=world.cycle_year,
        title="Vandaag plus drie",
        deadline=timezone.localdate() + dt.timedelta(days=3),
        owner_party=world.parties["heemwonen"],
    )
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
            result = tasks.send_reminders.delay()
            assert result.get(timeout=30) == 1
    finally:
        app.conf.update(saved)
    assert ReminderSent.objects.get().step == "3"


def test_subject_counts_the_real_days_left(world):
    reminders.reminders_send(today=dt.date(2025, 6, 10))  # 21 days before, the "30" step
    assert any("(nog 21 dagen)" in message.subject for message in mail.outbox)


# --- the jaarschijf to sign: signatories who have not yet signed ------------------------------

SIGNING_DAY = dt.date(2025, 12, 1)  # 14 days before "vóór 15 december"


def _signing_milestone(world):
    return world.cycle_year.milestones.get(title="Jaarschijf ondertekend")


def _signing_mails(world):
    title = _signing_milestone(world).title
    return sorted(a for m in mail.outbox if title in m.subject + m.body for a in m.to)


@pytest.fixture
def up_for_signing(world, settings):
    """The 2026 jaarschijf ter ondertekening; HEEMwonen has signed, the others have not."""
    from agreements.signing.services import signature_add, signing_put_up
    from cycle.jaarschijf import services as js
    from cycle.jaarschijf.signing import JaarschijfSignable

    settings.PDF_TAGGED = False
    wg = world.users["werkgroep"]
    jaarschijf = js.jaarschijf_create(actor=wg, cycle_year=world.cycle_year)
    jaarschijf = js.jaarschijf_set_state(
        actor=wg, jaarschijf=jaarschijf, state="definitief_concept"
    )
    # Confirmed: the world has no framework in force for 2026 (a warning).
    request = signing_put_up(signable=JaarschijfSignable(jaarschijf), user=wg, confirmed=True)
    signature_add(
        signing_request=request,
        user=world.users["heemwonen-bestuur"],
        password="kerkrade-demo",
        otp_code=otp_code(world.users["heemwonen-bestuur"]),
    )
    mail.outbox.clear()
    return request


def test_signatories_of_parties_that_have_not_signed_get_the_reminder(world, up_for_signing):
    reminders.reminders_send(today=SIGNING_DAY)
    assert _signing_mails(world) == [
        "huurders-voorzitter@example.org",
        "wethouder@example.org",
        "wonenlimburg-bestuur@example.org",
        "wonenzuid-bestuur@example.org",
    ]
    rows = ReminderSent.objects.filter(milestone=_signing_milestone(world), step="14")
    assert sorted(rows.values_list("party__slug", flat=True)) == [
        "gemeente-kerkrade",
        "huurdersorganisatie-heemwonen",
        "wonen-limburg",
        "wonen-zuid",
    ]


def test_the_signing_reminder_says_why_the_signatory_gets_it(world, up_for_signing):
    reminders.reminders_send(today=SIGNING_DAY)
    message = next(m for m in mail.outbox if m.to == ["wethouder@example.org"])
    assert "ondertekenaar" in message.body


def test_the_signing_reminder_is_sent_once_per_party_and_step(world, up_for_signing):
    reminders.reminders_send(today=SIGNING_DAY)
    count = len(mail.outbox)
    reminders.reminders_send(today=SIGNING_DAY)
    reminders.reminders_send(today=SIGNING_DAY + dt.timedelta(days=1))  # still the "14" step
    assert len(mail.outbox) == count


def test_the_three_day_and_overdue_steps_reach_signatories(world, up_for_signing):
    for day, step in [(dt.date(2025, 12, 12), "3"), (dt.date(2025, 12, 15), "overdue")]:
        mail.outbox.clear()
        reminders.reminders_send(today=day)
        assert "wethouder@example.org" in _signing_mails(world)
        assert ReminderSent.objects.filter(milestone=_signing_milestone(world), step=step).count()


def test_a_signatory_can_switch_the_signing_reminder_off(world, up_for_signing):
    services.preference_update(user=world.users["wethouder"], reminders_enabled=False)
    reminders.reminders_send(today=SIGNING_DAY)
    assert "wethouder@example.org" not in _signing_mails(world)
    assert "wonenzuid-bestuur@example.org" in _signing_mails(world)


def test_a_party_that_signs_gets_no_further_reminder(world, up_for_signing):
    from agreements.signing.services import signature_add

    signature_add(
        signing_request=up_for_signing,
        user=world.users["wethouder"],
        password="kerkrade-demo",
        otp_code=otp_code(world.users["wethouder"]),
    )
    mail.outbox.clear()
    reminders.reminders_send(today=SIGNING_DAY)
    assert "wethouder@example.org" not in _signing_mails(world)
    assert "heemwonen-bestuur@example.org" not in _signing_mails(world)


def test_before_it_is_put_up_the_working_group_is_reminded(world):
    reminders.reminders_send(today=SIGNING_DAY)
    assert _signing_mails(world) == ["werkgroep@example.org"]


def test_a_signed_jaarschijf_gets_no_signing_reminder(world, up_for_signing):
    from agreements.signing.services import signature_add

    for username in [
        "wethouder",
        "wonenzuid-bestuur",
        "wonenlimburg-bestuur",
        "huurders-voorzitter",
    ]:
        signature_add(
            signing_request=up_for_signing,
            user=world.users[username],
            password="kerkrade-demo",
            otp_code=otp_code(world.users[username]),
        )
    mail.outbox.clear()
    assert _signing_milestone(world).done_at is not None
    reminders.reminders_send(today=SIGNING_DAY)
    assert _signing_mails(world) == []
