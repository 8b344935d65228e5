"""load_demo: the framework 2021-2025 of the seed gets its end-evaluation in concept, the
framework itself unchanged; its page shows the seed's headline plans against their realisation."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from agreements.models import Framework
from cycle.endevaluation.selectors import framework_end_evaluation
from cycle.models import EndEvaluation


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def framework(loaded, django_db_blocker):
    with django_db_blocker.unblock():
        return Framework.objects.get(period_start=2021, period_end=2025)


def _row(text: str, code: str) -> str:
    row = text[text.index(f'id="doel-{code}"') :]
    return re.sub(r"\s+", " ", row[: row.index("</tr>")])


@pytest.mark.django_db
def test_demo_end_evaluation_is_a_concept_and_leaves_the_framework_as_it_was(framework):
    end_evaluation = EndEvaluation.objects.get(framework=framework)
    assert end_evaluation.state == EndEvaluation.State.CONCEPT and end_evaluation.is_demo
    assert not end_evaluation.conclusions.exists()
    # The framework is not touched: version and state as the seed loads them.
    assert (framework.version, framework.status) == (1, Framework.Status.ADOPTED)


@pytest.mark.django_db
def test_demo_page_shows_the_headline_plans_against_their_realisation(client, framework):
    end = framework_end_evaluation(framework)
    realised = {row.target.code: row for row in end.rows}
    client.force_login(get_user_model().objects.get(username="werkgroep"))
    text = client.get(reverse("cycle:end-evaluation", args=[framework.slug])).content.decode()
    assert "Eindevaluatie 2021-2025" in text
    for code, planned in [
        ("sloop", "478 woningen"),
        ("nieuwbouw", "515 woningen"),
        ("verkoop", "35 woningen"),
        ("aankoop", "125 woningen"),
        ("renovatie", "332 woningen"),
    ]:
        row = _row(text, code)
        assert planned in row
        assert realised[code].realised is not None  # summed over the demo's yearly evaluations
        assert realised[code].realised_text in row
    nultreden = _row(text, "nultreden")
    assert "4.000 woningen" in nultreden and "3.590" in nultreden
    assert realised["nultreden"].realised_text in nultreden
