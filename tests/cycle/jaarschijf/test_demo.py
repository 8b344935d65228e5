from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from core.drafting.models import PieceChange, PieceComment
from cycle.jaarschijf import services as js
from cycle.models import Jaarschijf


def test_demo_has_signed_jaarschijven_and_one_in_concept_with_history_and_comments(demo):
    jaarschijven = list(Jaarschijf.objects.order_by("plan_year"))
    assert len(jaarschijven) >= 2
    *earlier, current = jaarschijven
    assert {j.state for j in earlier} == {Jaarschijf.State.SIGNED}
    assert current.state == Jaarschijf.State.CONCEPT
    assert all(j.is_demo for j in jaarschijven)
    assert current.contributions.filter(version__gt=1).exists()
    assert PieceChange.objects.filter(**js.ref(current.pk).filter(), action="update").exists()
    assert PieceComment.objects.filter(**js.ref(current.pk).filter(), parent__isnull=False).exists()


def test_load_demo_twice_changes_nothing(demo):
    before = (Jaarschijf.objects.count(), PieceChange.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Jaarschijf.objects.count(), PieceChange.objects.count()) == before
