"""The tenant organisation's journey: `huurders` (a member of Huurdersorganisatie HEEMwonen)
logs in and sees on the start page what waits for the organisation (a submitted bid it has not
read, an open comment addressed to it), reads the bid, goes on to the cycle year, where one
sentence says what the year holds and under which framework, and follows the comment to the
jaarschijf. The bid, once read, no longer waits. axe-core on every page state.

The comment is prepared in setup (the working group asks the tenant organisation a question on
one of its contributions); everything else is in the demo data.
"""

from __future__ import annotations

import re

from agreements.models import Party
from cycle.jaarschijf import services as js
from cycle.models import Contribution, Jaarschijf, PieceType

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None


def _ask_the_tenants() -> Contribution:
    from django.contrib.auth import get_user_model

    werkgroep = get_user_model().objects.get(username="werkgroep")
    jaarschijf = Jaarschijf.objects.get(state=Jaarschijf.State.CONCEPT)
    contribution = (
        Contribution.objects.filter(
            jaarschijf=jaarschijf, party__slug="huurdersorganisatie-heemwonen"
        )
        .exclude(agreement=None)
        .select_related("agreement__theme")
        .order_by("id")
        .first()
    )
    js.comment_add(
        actor=werkgroep,
        jaarschijf=jaarschijf,
        piece_type=PieceType.CONTRIBUTION,
        piece_id=contribution.pk,
        text="Kunnen de huurders dit aantal bewonersavonden bevestigen?",
        notify=False,
    )
    return contribution


def test_tenant_member_reads_what_waits_and_finds_the_year_scheme(page, log_in, accessible):
    contribution = _ask_the_tenants()
    municipality = Party.objects.get(kind=Party.Kind.MUNICIPALITY).name
    log_in(page, "huurders")

    # The start page: a bid to read and the open comment, each a link; never "Niets te doen".
    to_read = re.compile(r"^Te lezen: bod van HEEMwonen")
    bid_link = page.get_by_role("link", name=to_read)
    expect(bid_link).to_be_visible()
    comment_link = page.get_by_role(
        "link",
        name=f"Open reactie van {municipality} op uw bijdrage aan afspraak "
        f"{contribution.agreement.code}",
        exact=True,
    )
    expect(comment_link).to_be_visible()
    expect(page.get_by_text("Niets te doen")).to_have_count(0)
    accessible(page, "tenant start page, a bid and a comment waiting")

    # The bid.
    bid_link.click()
    expect(page.get_by_role("heading", name="Bod van HEEMwonen voor", exact=False)).to_be_visible()
    accessible(page, "bid page (tenant organisation)")

    # The cycle year, through the breadcrumb: the year scheme in one sentence.
    page.get_by_role("navigation", name="Kruimelpad").get_by_role(
        "link", name=re.compile(r"^Jaarcyclus \d{4}$")
    ).click()
    scheme = page.locator(".pa-year-scheme")
    expect(scheme).to_contain_text(re.compile(r"In de jaarcyclus (\d{4}) dienen de corporaties"))
    expect(scheme).to_contain_text("onder het meerjarig kader")
    accessible(page, "cycle year page with the year scheme")

    # Back on the start page: the bid was read, the comment still waits; follow it.
    page.get_by_role("link", name="Start", exact=True).click()
    expect(page.get_by_role("link", name=to_read)).to_have_count(0)
    accessible(page, "tenant start page, the bid read")
    comment_link.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.url.endswith(f"#bijdrage-{contribution.pk}")
    expect(page.locator(f"#bijdrage-{contribution.pk}")).to_be_visible()
    accessible(page, "jaarschijf at the contribution with the open comment")
    assert not page.csp_errors
