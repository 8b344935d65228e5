import datetime as dt
import hashlib

import pytest
from django.urls import reverse

from cycle import ics, services
from cycle.models import CyclePreference, Milestone


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def feed(client, world, username="heemwonen"):
    token = _tokens.get(username) or services.feed_token_regenerate(user=world.users[username])
    _tokens[username] = token
    return client.get(reverse("cycle:feed", args=[token]))


_tokens: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fresh_tokens():
    _tokens.clear()


def test_feed_needs_no_login_but_a_valid_token(client, world):
    assert feed(client, world).status_code == 200
    assert client.get(reverse("cycle:feed", args=["wrong-token"])).status_code == 404


def test_feed_is_icalendar_with_crlf_and_timezone(client, world):
    response = feed(client, world)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam" in body
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in body


def test_all_day_event_on_the_last_day_before_the_deadline(client, world):
    body = unfold(feed(client, world).content.decode())
    milestone = Milestone.objects.get(kind="bid", owner_party__slug="heemwonen")
    event = body.split(f"UID:mijlpaal-{milestone.pk}@")[1].split("END:VEVENT")[0]
    assert "DTSTART;VALUE=DATE:20250630\r\n" in event
    assert "DTEND;VALUE=DATE:20250701\r\n" in event
    assert "SEQUENCE:0" in event
    assert "(wettelijke termijn)" in event


def test_user_sees_own_party_and_working_group_milestones_only(client, world):
    body = unfold(feed(client, world).content.decode())
    assert "HEEMwonen" in body and "Wonen Zuid" not in body
    assert "Jaarschijf ondertekend" in body


def test_uid_stable_and_sequence_raised_on_change(client, world):
    milestone = world.cycle_year.milestones.get(title="Evaluatie (concept)")
    uid = f"UID:mijlpaal-{milestone.pk}@{ics.UID_DOMAIN}"
    before = unfold(feed(client, world).content.decode())
    services.milestone_update(
        actor=world.users["werkgroep"],
        milestone=milestone,
        title=milestone.title,
        deadline=dt.date(2025, 4, 15),
        note="",
    )
    after = unfold(feed(client, world).content.decode())
    assert uid in before and uid in after
    event = after.split(uid)[1].split("END:VEVENT")[0]
    assert "SEQUENCE:1" in event and "DTSTART;VALUE=DATE:20250414" in event


def test_regenerated_token_retires_the_old_url(client, world):
    user = world.users["heemwonen"]
    old = services.feed_token_regenerate(user=user)
    new = services.feed_token_regenerate(user=user)
    assert client.get(reverse("cycle:feed", args=[old])).status_code == 404
    assert client.get(reverse("cycle:feed", args=[new])).status_code == 200


def test_the_token_is_stored_only_as_its_hash(world):
    user = world.users["heemwonen"]
    token = services.feed_token_regenerate(user=user)
    preference = CyclePreference.objects.get(user=user)
    assert preference.feed_token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = CyclePreference.objects.filter(user=user).values().get()
    assert token not in repr(stored)


def test_no_feed_until_the_user_makes_a_link(client, world):
    preference = services.preference_get(world.users["heemwonen"])
    assert preference.feed_token_hash is None
    assert client.get(reverse("cycle:feed", args=["None"])).status_code == 404


def test_escaping():
    assert ics.escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_folding_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "é" * 100
    folded = ics.fold(line)
    parts = folded.split("\r\n ")
    assert all(len(part.encode()) <= 75 for part in parts[:1])
    assert all(len(part.encode()) <= 74 for part in parts[1:])
    assert "".join(parts) == line


def test_short_line_not_folded():
    assert ics.fold("SUMMARY:kort") == "SUMMARY:kort"
