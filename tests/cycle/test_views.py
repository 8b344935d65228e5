"""Every bid view and action, for every demo role: allowed and refused (404 for both missing and
forbidden; anonymous users go to the login page)."""

import pytest
from django.urls import reverse

from cycle.bids import services as bids_services
from cycle.bids.types import LineInput
from cycle.models import Bid, Milestone
from tests.spreadsheet_checks import DANGEROUS_TEXTS, assert_literal_text

from .conftest import amsterdam

ALL = [
    "werkgroep",
    "wethouder",
    "heemwonen",
    "wonenzuid",
    "wonenlimburg",
    "heemwonen-bestuur",
    "wonenzuid-bestuur",
    "wonenlimburg-bestuur",
    "huurders",
    "huurders-voorzitter",
    "admin",
    "meander",
    "nobody",
]
HEEM = {"heemwonen", "heemwonen-bestuur"}
CORPORATIONS = {
    "heemwonen",
    "wonenzuid",
    "wonenlimburg",
    "heemwonen-bestuur",
    "wonenzuid-bestuur",
    "wonenlimburg-bestuur",
}
READ_SUBMITTED = HEEM | {"werkgroep", "wethouder", "huurders", "huurders-voorzitter", "admin"}
FRAMEWORK_PARTIES = set(ALL) - {"meander", "nobody"}


def client_for(client, world, username):
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


def expect(response, allowed, ok=200):
    if allowed:
        assert response.status_code == ok, response.status_code
    else:
        assert response.status_code == 404, response.status_code


@pytest.mark.parametrize("username", ALL)
def test_submitted_bid_detail(client, world, submitted_bid, username):
    response = client_for(client, world, username).get(
        reverse("cycle:bid-detail", args=[submitted_bid.pk])
    )
    expect(response, username in READ_SUBMITTED)


@pytest.mark.parametrize("username", ALL)
def test_draft_bid_detail_only_own_corporation(client, world, draft_bid, username):
    response = client_for(client, world, username).get(
        reverse("cycle:bid-detail", args=[draft_bid.pk])
    )
    expect(response, username in HEEM)


@pytest.mark.parametrize("username", ALL)
def test_bid_pdf(client, world, submitted_bid, username):
    response = client_for(client, world, username).get(
        reverse("cycle:bid-pdf", args=[submitted_bid.pk])
    )
    expect(response, username in READ_SUBMITTED)
    if username in READ_SUBMITTED:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


# PDF rendering is slow; the other roles are covered by the draft detail matrix above.
@pytest.mark.parametrize(
    "username", ["heemwonen", "heemwonen-bestuur", "huurders", "wonenzuid", "werkgroep"]
)
def test_draft_pdf_only_own_corporation(client, world, draft_bid, username):
    response = client_for(client, world, username).get(
        reverse("cycle:bid-pdf", args=[draft_bid.pk])
    )
    expect(response, username in HEEM)


@pytest.mark.parametrize("username", ALL)
def test_bid_edit_get(client, world, draft_bid, username):
    response = client_for(client, world, username).get(
        reverse("cycle:bid-edit", args=[draft_bid.pk])
    )
    expect(response, username in HEEM)


@pytest.mark.parametrize("username", ALL)
def test_bid_edit_post(client, world, draft_bid, username):
    data = {"quantity_sloop": "77"}
    response = client_for(client, world, username).post(
        reverse("cycle:bid-edit", args=[draft_bid.pk]), data
    )
    expect(response, username in HEEM, ok=302)
    quantity = draft_bid.lines.get(figure="sloop").quantity
    assert (quantity == 77) is (username in HEEM)


def test_submitted_bid_cannot_be_edited_even_by_its_corporation(client, world, submitted_bid):
    client.force_login(world.users["heemwonen"])
    assert client.get(reverse("cycle:bid-edit", args=[submitted_bid.pk])).status_code == 404


@pytest.mark.parametrize("username", ALL)
def test_bid_submit(client, world, draft_bid, username):
    response = client_for(client, world, username).post(
        reverse("cycle:bid-submit", args=[draft_bid.pk])
    )
    expect(response, username in HEEM, ok=302)
    draft_bid.refresh_from_db()
    assert (draft_bid.status == Bid.Status.SUBMITTED) is (username in HEEM)


@pytest.mark.parametrize("username", ALL)
def test_bid_compare(client, world, submitted_bid, username):
    user = world.users["heemwonen"]
    second = bids_services.bid_draft_start(
        actor=user, cycle_year=world.cycle_year, corporation=submitted_bid.corporation
    )
    bids_services.bid_submit(actor=user, bid=second, at=amsterdam(2025, 6, 28))
    url = reverse("cycle:bid-compare", args=[second.pk]) + f"?met={submitted_bid.pk}"
    response = client_for(client, world, username).get(url)
    expect(response, username in READ_SUBMITTED)


def test_compare_with_a_draft_of_another_corporation_is_404(client, world, submitted_bid):
    other = bids_services.bid_draft_start(
        actor=world.users["wonenzuid"],
        cycle_year=world.cycle_year,
        corporation=world.parties["wonen-zuid"],
    )
    client.force_login(world.users["heemwonen"])
    url = reverse("cycle:bid-compare", args=[submitted_bid.pk]) + f"?met={other.pk}"
    assert client.get(url).status_code == 404


def test_compare_shows_what_changed(client, world, submitted_bid):
    user = world.users["heemwonen"]
    second = bids_services.bid_draft_start(
        actor=user, cycle_year=world.cycle_year, corporation=submitted_bid.corporation
    )
    bids_services.bid_lines_save(
        actor=user, bid=second, lines={"sloop": bids_services.LineInput(quantity=42)}
    )
    client.force_login(world.users["huurders"])
    client.force_login(user)
    response = client.get(
        reverse("cycle:bid-compare", args=[second.pk]) + f"?met={submitted_bid.pk}"
    )
    assert response.status_code == 200
    rows = {row.figure: row for row in response.context["rows"]}
    assert rows["sloop"].old == 10 and rows["sloop"].new == 42 and rows["sloop"].difference == 32
    assert rows["sloop"].explanation_changed  # the new line has no explanation
    assert not rows["nieuwbouw"].changed


@pytest.mark.parametrize("username", ALL)
def test_my_bid_page(client, world, username):
    response = client_for(client, world, username).get(
        reverse("cycle:my-bid", args=[world.cycle_year.pk])
    )
    expect(response, username in CORPORATIONS)


@pytest.mark.parametrize("username", ALL)
def test_bid_start(client, world, username):
    response = client_for(client, world, username).post(
        reverse("cycle:bid-start", args=[world.cycle_year.pk])
    )
    expect(response, username in CORPORATIONS, ok=302)
    assert Bid.objects.exists() is (username in CORPORATIONS)


@pytest.mark.parametrize("username", ALL)
def test_bid_template_download(client, world, username):
    response = client_for(client, world, username).get(
        reverse("cycle:bid-template", args=[world.cycle_year.pk])
    )
    expect(response, username in CORPORATIONS)


@pytest.mark.parametrize("text", DANGEROUS_TEXTS)
def test_bid_template_writes_a_formula_like_explanation_as_text(client, world, draft_bid, text):
    bids_services.bid_lines_save(
        actor=world.users["heemwonen"],
        bid=draft_bid,
        lines={"sloop": LineInput(quantity=1, explanation=text)},
    )
    # The service trims leading whitespace ("\t=1+1" is kept as "=1+1"): still a formula.
    stored = draft_bid.lines.get(figure="sloop").explanation
    assert stored.startswith(("=", "+", "-", "@", "\t", "\r"))

    response = client_for(client, world, "heemwonen").get(
        reverse("cycle:bid-template", args=[world.cycle_year.pk])
    )

    assert response.status_code == 200
    assert_literal_text(response.content, stored)


@pytest.mark.parametrize("username", ALL)
def test_bid_upload(client, world, username):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(client, world, username).post(
        reverse("cycle:bid-upload", args=[world.cycle_year.pk]),
        {"file": SimpleUploadedFile("bod.csv", b"x")},
    )
    # A corporation gets the Dutch error page (422); everyone else 404.
    expect(response, username in CORPORATIONS, ok=422)


@pytest.mark.parametrize("username", ["anonymous"])
@pytest.mark.parametrize("name", ["cycle:bid-detail", "cycle:bid-edit", "cycle:bid-pdf"])
def test_anonymous_goes_to_login(client, world, submitted_bid, username, name):
    response = client.get(reverse(name, args=[submitted_bid.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", ALL)
def test_year_detail(client, world, username):
    response = client_for(client, world, username).get(
        reverse("cycle:year-detail", args=[world.cycle_year.pk])
    )
    expect(response, username in FRAMEWORK_PARTIES)


@pytest.mark.parametrize("username", ALL)
def test_milestone_edit_only_working_group(client, world, username):
    milestone = world.cycle_year.milestones.get(title="Evaluatie (concept)")
    response = client_for(client, world, username).post(
        reverse("cycle:milestone-edit", args=[milestone.pk]),
        {"title": "Evaluatie", "deadline": "2025-04-10", "note": ""},
    )
    expect(response, username == "werkgroep", ok=302)
    milestone.refresh_from_db()
    assert (milestone.title == "Evaluatie") is (username == "werkgroep")


@pytest.mark.parametrize("username", ALL)
def test_milestone_add_only_working_group(client, world, username):
    response = client_for(client, world, username).post(
        reverse("cycle:milestone-add", args=[world.cycle_year.pk]),
        {"title": "Extra overleg", "deadline": "2025-09-01", "note": ""},
    )
    expect(response, username == "werkgroep", ok=302)
    assert Milestone.objects.filter(title="Extra overleg").exists() is (username == "werkgroep")


@pytest.mark.parametrize("username", ALL)
def test_milestone_done_only_working_group(client, world, username):
    milestone = world.cycle_year.milestones.get(title="Evaluatie (concept)")
    response = client_for(client, world, username).post(
        reverse("cycle:milestone-done", args=[milestone.pk]), {"done": "1"}
    )
    expect(response, username == "werkgroep", ok=302)


def test_statutory_deadline_field_is_disabled(client, world):
    signing = world.cycle_year.milestones.get(title="Jaarschijf ondertekend")
    client.force_login(world.users["werkgroep"])
    response = client.post(
        reverse("cycle:milestone-edit", args=[signing.pk]),
        {"title": "Ondertekening", "deadline": "2025-12-30", "note": ""},
    )
    assert response.status_code == 302
    signing.refresh_from_db()
    assert signing.deadline.isoformat() == "2025-12-15" and signing.title == "Ondertekening"


# --- htmx: both response shapes -------------------------------------------------------------


def test_bid_edit_full_page_without_htmx(client, world, draft_bid):
    client.force_login(world.users["heemwonen"])
    response = client.get(reverse("cycle:bid-edit", args=[draft_bid.pk]))
    assert b"<html" in response.content and b'id="bid-save-status"' in response.content


def test_bid_edit_autosave_returns_only_the_status_partial(client, world, draft_bid):
    client.force_login(world.users["heemwonen"])
    response = client.post(
        reverse("cycle:bid-edit", args=[draft_bid.pk]),
        {"quantity_leefbaarheid": "12,5"},  # euro: cents are fine (dwellings are whole)
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="bid-save-status"') and "<html" not in content
    assert "Concept opgeslagen" in content
    assert str(draft_bid.lines.get(figure="leefbaarheid").quantity) == "12.50"


def test_bid_edit_autosave_with_error_returns_partial_with_message(client, world, draft_bid):
    client.force_login(world.users["heemwonen"])
    response = client.post(
        reverse("cycle:bid-edit", args=[draft_bid.pk]),
        {"quantity_sloop": "-4"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert (
        "<html" not in response.content.decode() and "Niet opgeslagen" in response.content.decode()
    )


def test_bid_edit_without_js_redirects_after_save(client, world, draft_bid):
    client.force_login(world.users["heemwonen"])
    response = client.post(reverse("cycle:bid-edit", args=[draft_bid.pk]), {"quantity_sloop": "5"})
    assert response.status_code == 302


# --- other pages ----------------------------------------------------------------------------


def test_sums_page_adds_up_submitted_bids(client, world, submitted_bid):
    client.force_login(world.users["huurders"])
    response = client.get(reverse("cycle:sums", args=[world.framework.slug]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content and "<title" in content and "<desc" in content


def test_preferences_turn_reminders_off_and_regenerate_token(client, world):
    user = world.users["heemwonen"]
    client.force_login(user)
    assert client.get(reverse("cycle:preferences")).status_code == 200
    client.post(reverse("cycle:preferences"), {"save": "1"})
    user.cycle_preference.refresh_from_db()
    assert user.cycle_preference.reminders_enabled is False
    client.post(reverse("cycle:preferences"), {"regenerate": "1"})
    user.cycle_preference.refresh_from_db()
    first = user.cycle_preference.feed_token_hash
    client.post(reverse("cycle:preferences"), {"regenerate": "1"})
    user.cycle_preference.refresh_from_db()
    assert first and user.cycle_preference.feed_token_hash != first


def test_preferences_show_the_feed_link_once(client, world):
    client.force_login(world.users["heemwonen"])
    made = client.post(reverse("cycle:preferences"), {"regenerate": "1"})
    content = made.content.decode()
    link = content.split('id="feed-url"')[1].split('value="')[1].split('"')[0]
    assert link.startswith("http://testserver/") and link.endswith(".ics")
    assert "om veiligheidsredenen tonen we hem niet opnieuw" in content
    assert made["Cache-Control"] == "no-store"
    token = link.rsplit("/", 1)[-1].removesuffix(".ics")
    assert client.get(link).status_code == 200
    later = client.get(reverse("cycle:preferences")).content.decode()
    assert token not in later and 'id="feed-url"' not in later
    assert "U hebt al een agenda-link" in later


def test_web_form_saves_theme_notes(client, world, draft_bid):
    client.force_login(world.users["heemwonen"])
    response = client.post(
        reverse("cycle:bid-edit", args=[draft_bid.pk]),
        {"quantity_sloop": "5", "theme_1": "Toelichting beschikbaarheid"},
    )
    assert response.status_code == 302
    assert draft_bid.theme_notes.get(theme__number=1).text == "Toelichting beschikbaarheid"
    page = client.get(reverse("cycle:bid-detail", args=[draft_bid.pk])).content.decode()
    assert "Toelichting beschikbaarheid" in page


def test_year_page_links_only_bids_the_user_may_open(client, world, submitted_bid):
    detail = reverse("cycle:bid-detail", args=[submitted_bid.pk])
    url = reverse("cycle:year-detail", args=[world.cycle_year.pk])
    client.force_login(world.users["wonenzuid"])
    assert detail not in client.get(url).content.decode()
    client.force_login(world.users["huurders"])
    assert detail in client.get(url).content.decode()


def test_compare_shows_theme_notes(client, world, submitted_bid):
    user = world.users["heemwonen"]
    second = bids_services.bid_draft_start(
        actor=user, cycle_year=world.cycle_year, corporation=submitted_bid.corporation
    )
    bids_services.bid_lines_save(actor=user, bid=second, lines={}, theme_notes={1: "Nieuwe koers"})
    client.force_login(user)
    response = client.get(
        reverse("cycle:bid-compare", args=[second.pk]) + f"?met={submitted_bid.pk}"
    )
    assert "Nieuwe koers" in response.content.decode()
    assert [row.changed for row in response.context["note_rows"]] == [True]


@pytest.mark.parametrize("username", ALL)
def test_year_create_only_working_group(client, world, username):
    response = client_for(client, world, username).post(
        reverse("cycle:year-create"), {"framework": world.framework.pk, "year": 2024}
    )
    expect(response, username == "werkgroep", ok=302)
    assert world.framework.cycle_years.filter(year=2024).exists() is (username == "werkgroep")


def test_year_create_refuses_year_outside_the_period(client, world):
    client.force_login(world.users["werkgroep"])
    response = client.post(
        reverse("cycle:year-create"), {"framework": world.framework.pk, "year": 2031}
    )
    assert response.status_code == 422
    assert "Kies een jaar van 2021 tot en met 2026" in response.content.decode()


def test_year_list_offers_creation_to_the_working_group_only(client, world):
    client.force_login(world.users["werkgroep"])
    assert "Cyclusjaar aanmaken" in client.get("/cyclus/?alle=1").content.decode()
    client.force_login(world.users["huurders"])
    assert "Cyclusjaar aanmaken" not in client.get("/cyclus/?alle=1").content.decode()


def test_milestone_add_for_each_corporation(client, world):
    client.force_login(world.users["werkgroep"])
    response = client.post(
        reverse("cycle:milestone-add", args=[world.cycle_year.pk]),
        {"title": "Voortgang", "deadline": "2025-10-01", "owner": "each-corporation"},
    )
    assert response.status_code == 302
    owners = Milestone.objects.filter(title__startswith="Voortgang – ").values_list(
        "owner_party__slug", flat=True
    )
    assert sorted(owners) == ["heemwonen", "wonen-limburg", "wonen-zuid"]


def test_milestone_add_for_one_party(client, world):
    client.force_login(world.users["werkgroep"])
    party = world.parties["huurdersorganisatie-heemwonen"]
    client.post(
        reverse("cycle:milestone-add", args=[world.cycle_year.pk]),
        {"title": "Advies", "deadline": "2025-10-01", "owner": str(party.pk)},
    )
    assert Milestone.objects.get(title="Advies").owner_party == party
