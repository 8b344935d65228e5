from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from core import pdf as pdf_helper
from core.actors import DEMO_LOADER
from cycle.evaluation import pdf as evaluation_pdf
from cycle.evaluation import services as es
from cycle.models import ContributionRealisation, YearFigures

from .conftest import figures, sloop_contribution

pytestmark = pytest.mark.django_db


def client_for(client, world, username):
    client.force_login(world.users[username])
    return client


def test_overview_shows_lights_with_text(client, world, evaluation):
    es.year_figures_save(
        actor=DEMO_LOADER,
        evaluation=evaluation,
        corporation=world.parties["heemwonen"],
        data=figures(passend_pct=Decimal(90)),
    )
    response = client_for(client, world, "huurders").get(
        reverse("cycle:evaluation-detail", args=[evaluation.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rood" in html and "groen ≥ 95%" in html
    assert "Evaluatie vaststellen" not in html  # tenant organisations read and comment


@pytest.mark.parametrize("username", ["nobody", "meander"])
def test_outsiders_get_404(client, world, evaluation, username):
    response = client_for(client, world, username).get(
        reverse("cycle:evaluation-detail", args=[evaluation.pk])
    )
    assert response.status_code == 404


def test_missing_evaluation_is_404(client, world):
    response = client_for(client, world, "werkgroep").get(
        reverse("cycle:evaluation-detail", args=[99999])
    )
    assert response.status_code == 404


def test_year_page_starts_the_evaluation(client, world, eval_year):
    c = client_for(client, world, "werkgroep")
    page = c.get(reverse("cycle:evaluation-year", args=[eval_year.pk]))
    assert page.status_code == 200 and "Evaluatie starten" in page.content.decode()
    response = c.post(reverse("cycle:evaluation-start", args=[eval_year.pk]))
    eval_year.refresh_from_db()
    assert response.url == reverse("cycle:evaluation-detail", args=[eval_year.evaluation.pk])
    assert c.get(reverse("cycle:evaluation-year", args=[eval_year.pk])).status_code == 302


def test_corporation_starts_nothing(client, world, eval_year):
    response = client_for(client, world, "heemwonen").post(
        reverse("cycle:evaluation-start", args=[eval_year.pk])
    )
    assert response.status_code == 404


def test_party_enters_its_realisations(client, world, evaluation):
    contribution = sloop_contribution(evaluation, "heemwonen")
    url = reverse("cycle:evaluation-realisations", args=[evaluation.pk])
    c = client_for(client, world, "heemwonen")
    assert c.get(url).status_code == 200
    prefix = f"c{contribution.pk}-"
    response = c.post(
        url + "?partij=heemwonen",
        {
            prefix + "version": "0",
            prefix + "status": "deels",
            prefix + "realised_quantity": "32,5",
            prefix + "explanation": "Een blok later.",
        },
    )
    assert response.status_code == 302
    realisation = ContributionRealisation.objects.get(contribution=contribution)
    assert realisation.realised_quantity == Decimal("32.5")


def test_realisation_errors_show_on_the_row(client, world, evaluation):
    contribution = sloop_contribution(evaluation, "heemwonen")
    prefix = f"c{contribution.pk}-"
    response = client_for(client, world, "heemwonen").post(
        reverse("cycle:evaluation-realisations", args=[evaluation.pk]),
        {prefix + "version": "0", prefix + "status": "niet", prefix + "explanation": ""},
    )
    assert response.status_code == 422
    assert "Licht toe" in response.content.decode()
    assert not ContributionRealisation.objects.exists()


def test_corporation_cannot_open_another_partys_entry(client, world, evaluation):
    c = client_for(client, world, "heemwonen")
    for name in ["evaluation-realisations", "evaluation-figures"]:
        url = reverse(f"cycle:{name}", args=[evaluation.pk]) + "?partij=wonen-zuid"
        assert c.get(url).status_code == 404


def test_tenant_organisation_has_no_entry_pages(client, world, evaluation):
    c = client_for(client, world, "huurders-voorzitter")
    url = reverse("cycle:evaluation-realisations", args=[evaluation.pk])
    assert c.get(url).status_code == 404


def test_working_group_enters_figures_of_any_corporation(client, world, evaluation):
    url = reverse("cycle:evaluation-figures", args=[evaluation.pk]) + "?partij=wonen-zuid"
    c = client_for(client, world, "werkgroep")
    assert c.get(url).status_code == 200
    response = c.post(
        url,
        {
            "version": "0",
            "lettings": "250",
            "relets": "260",
            "vacancy_pct": "1,2",
            "passend_pct": "96,4",
            "daeb_pct": "93",
            "permit_holder_lettings": "20",
            "evictions": "1",
            "condition_score": "3,1",
            "source": "Thuis in Limburg",
        },
    )
    assert response.status_code == 302
    row = YearFigures.objects.get(corporation=world.parties["wonen-zuid"])
    assert (row.passend_pct, row.year) == (Decimal("96.4"), 2025)


def test_invalid_figures_are_shown(client, world, evaluation):
    url = reverse("cycle:evaluation-figures", args=[evaluation.pk])
    response = client_for(client, world, "heemwonen").post(
        url, {"version": "0", "passend_pct": "120"}
    )
    assert response.status_code == 422
    assert "tussen 0 en 100" in response.content.decode()


def test_comment_and_adopt(client, world, evaluation):
    c = client_for(client, world, "huurders")
    c.post(reverse("cycle:evaluation-comment", args=[evaluation.pk]), {"text": "Kritisch."})
    assert evaluation.comments.count() == 1
    assert (
        c.post(reverse("cycle:evaluation-state", args=[evaluation.pk]), {"state": "vastgesteld"})
    ).status_code == 404
    wg = client_for(client, world, "werkgroep")
    # Adoption is by signing (test_signing.py): the old adopt action only explains that.
    wg.post(reverse("cycle:evaluation-state", args=[evaluation.pk]), {"state": "vastgesteld"})
    evaluation.refresh_from_db()
    assert not evaluation.is_adopted
    evaluation = es.evaluation_adopt(actor=DEMO_LOADER, evaluation=evaluation, render_ahead=False)
    url = reverse("cycle:evaluation-realisations", args=[evaluation.pk])
    assert wg.get(url).status_code == 404  # frozen


def test_years_page_has_accessible_charts(client, world, evaluation):
    es.year_figures_save(
        actor=DEMO_LOADER,
        evaluation=evaluation,
        corporation=world.parties["heemwonen"],
        data=figures(),
    )
    response = client_for(client, world, "wethouder").get(
        reverse("cycle:evaluation-years", args=[evaluation.pk])
    )
    html = response.content.decode()
    assert 'role="img"' in html and '<title id="chart-passend-title">' in html
    assert '<desc id="chart-passend-desc">2025: 97%; doel 95% (as vanaf 90%).</desc>' in html
    assert "<caption" in html and ">97%<" in html


def test_pdf_download(client, world, evaluation):
    c = client_for(client, world, "huurders")
    url = reverse("cycle:evaluation-pdf", args=[evaluation.pk])
    # Not rendered yet: the click shows the progress page, the render runs after it.
    response = c.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("cycle:evaluation-pdf-status", args=[evaluation.pk])
    evaluation_pdf.evaluation_pdf(evaluation)
    response = c.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_adopted_pdf_is_rendered_ahead_into_a_file_and_served_from_it(
    client, world, evaluation, django_capture_on_commit_callbacks
):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = es.evaluation_adopt(actor=DEMO_LOADER, evaluation=evaluation)
    evaluation.refresh_from_db()
    stored = evaluation.pdf.read()
    assert stored.startswith(b"%PDF")
    cache.clear()  # another process: nothing in its cache, the file is in the storage
    c = client_for(client, world, "wethouder")
    with mock.patch.object(pdf_helper, "html_to_pdf") as convert:
        response = c.get(reverse("cycle:evaluation-pdf", args=[evaluation.pk]))
    convert.assert_not_called()
    assert response.content == stored


def test_prerender_skips_a_concept(world, evaluation):
    assert evaluation_pdf.prerender(evaluation_id=evaluation.pk) == 0
    assert evaluation_pdf.prerender(evaluation_id=99999) == 0


def test_detail_query_count_is_fixed(client, world, evaluation, django_assert_max_num_queries):
    c = client_for(client, world, "werkgroep")
    url = reverse("cycle:evaluation-detail", args=[evaluation.pk])
    c.get(url)
    with django_assert_max_num_queries(40) as captured:
        c.get(url)
    few = len(captured.captured_queries)
    for slug in ["heemwonen", "wonen-zuid", "wonen-limburg"]:
        es.year_figures_save(
            actor=DEMO_LOADER,
            evaluation=evaluation,
            corporation=world.parties[slug],
            data=figures(),
        )
    for slug in ["heemwonen", "wonen-zuid"]:
        es.realisation_save(
            actor=DEMO_LOADER,
            evaluation=evaluation,
            contribution_id=sloop_contribution(evaluation, slug).pk,
            data=es.RealisationInput(status="gerealiseerd", realised_quantity=Decimal(5)),
        )
    with django_assert_max_num_queries(few):
        c.get(url)
