"""Drafting a framework in concept: versioned pieces, who may, history and restore."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from agreements.drafting import services
from agreements.drafting.states import is_editable
from agreements.models import Agreement, Framework, Target, Theme
from core.conflicts import EditConflict
from core.drafting import services as drafting
from core.drafting.models import PieceChange

from .conftest import target_of

pytestmark = pytest.mark.django_db


def _target_data(target: Target, **changes) -> dict:
    return {**services.KINDS["doel"].snapshot(target), **changes}


def _update(world, framework, target, version, username="werkgroep", **changes):
    return services.framework_piece_update(
        actor=world.users[username],
        framework=framework,
        kind="doel",
        piece_id=target.pk,
        expected_version=version,
        data=_target_data(target, **changes),
    )


def _history(framework, kind="doel"):
    return PieceChange.objects.filter(**services.ref(framework.pk).filter(), piece_type=kind)


def test_a_saved_target_gets_a_new_version_and_a_history_row_with_before_and_after(world, concept):
    target = target_of(concept)
    saved = _update(world, concept, target, 1, value=Decimal("4100"))
    assert (saved.value, saved.draft_version) == (Decimal("4100"), 2)
    change = _history(concept).get()
    assert (change.version, change.action) == (2, "update")
    assert (change.before["value"], change.after["value"]) == ("478", "4100")
    assert change.actor == world.users["werkgroep"]


def test_a_stale_save_is_a_conflict_with_both_values_and_writes_nothing(world, concept):
    target = target_of(concept)
    _update(world, concept, target, 1, value=Decimal("500"))
    with pytest.raises(EditConflict) as caught:
        _update(world, concept, target_of(concept), 1, value=Decimal("600"))
    assert (caught.value.current["value"], caught.value.yours["value"]) == ("500", "600")
    assert caught.value.current_version == 2
    stored = target_of(concept)
    assert (stored.value, stored.draft_version) == (Decimal("500"), 2)
    assert _history(concept).count() == 1


@pytest.mark.parametrize(
    "username",
    ["heemwonen", "huurders", "wethouder", "heemwonen-bestuur", "meander", "nobody"],
)
def test_only_the_working_group_of_the_parties_edits(world, concept, username):
    target = target_of(concept)
    with pytest.raises(PermissionDenied):
        _update(world, concept, target, 1, username=username, value=Decimal("1"))
    assert target_of(concept).value == Decimal("478")
    assert not _history(concept).exists()


def test_a_working_group_member_of_another_framework_may_not_edit(world, concept):
    concept.parties.remove(world.parties["gemeente-kerkrade"])
    with pytest.raises(PermissionDenied):
        _update(world, concept, target_of(concept), 1, value=Decimal("1"))


@pytest.mark.parametrize(
    ("status", "signing_state"),
    [(Framework.Status.ADOPTED, ""), (Framework.Status.CONCEPT, "ter_ondertekening")],
)
def test_a_framework_that_is_no_draft_refuses_every_edit(world, concept, status, signing_state):
    Framework.objects.filter(pk=concept.pk).update(status=status, signing_state=signing_state)
    framework = Framework.objects.get(pk=concept.pk)
    with pytest.raises(ValidationError, match="geen concept meer"):
        _update(world, framework, target_of(framework), 1, value=Decimal("1"))
    with pytest.raises(ValidationError, match="geen concept meer"):
        services.framework_piece_add(
            actor=world.users["werkgroep"],
            framework=framework,
            kind="thema",
            parent_id=None,
            data={"title": "Nieuw"},
        )
    assert target_of(framework).value == Decimal("478")


def test_definitief_concept_is_a_draft_state_too(concept):
    concept.status = "definitief_concept"
    assert is_editable(concept)
    concept.signing_state = "ondertekend"
    assert not is_editable(concept)


def test_restore_makes_an_earlier_version_current_as_a_new_version(world, concept):
    target = target_of(concept)
    _update(world, concept, target, 1, value=Decimal("4100"), note="Verhoogd")
    restored = drafting.piece_restore(
        document=services.FrameworkDrafted(concept),
        actor=world.users["werkgroep"],
        piece_type="doel",
        piece_id=target.pk,
        version=1,
        expected_version=2,
    )
    assert (restored.value, restored.note, restored.draft_version) == (Decimal("478"), "", 3)
    assert _history(concept).get(version=3).action == "restore"


def test_the_texts_a_theme_and_an_agreement_are_pieces_too(world, concept):
    actor = world.users["werkgroep"]
    services.framework_piece_update(
        actor=actor,
        framework=concept,
        kind="teksten",
        piece_id=concept.pk,
        expected_version=1,
        data={"introduction": "Samen", "highlights": "", "appendix": ""},
    )
    theme = Theme.objects.get(framework=concept, number=1)
    services.framework_piece_update(
        actor=actor,
        framework=concept,
        kind="thema",
        piece_id=theme.pk,
        expected_version=1,
        data={"number": 1, "title": "Beschikbaarheid en doorstroming", "introduction": ""},
    )
    agreement = Agreement.objects.get(theme=theme)
    heem = world.parties["heemwonen"]
    services.framework_piece_update(
        actor=actor,
        framework=concept,
        kind="afspraak",
        piece_id=agreement.pk,
        expected_version=1,
        data={"number": 2, "title": "Transitie", "text": "x", "responsible_party_ids": [heem.pk]},
    )
    assert Framework.objects.get(pk=concept.pk).introduction == "Samen"
    assert Theme.objects.get(pk=theme.pk).title == "Beschikbaarheid en doorstroming"
    assert list(Agreement.objects.get(pk=agreement.pk).responsible_parties.all()) == [heem]
    assert PieceChange.objects.filter(**services.ref(concept.pk).filter()).count() == 3


def test_a_theme_number_in_use_is_refused(world, concept):
    theme = Theme.objects.get(framework=concept, number=1)
    with pytest.raises(ValidationError, match="al in gebruik"):
        services.framework_piece_update(
            actor=world.users["werkgroep"],
            framework=concept,
            kind="thema",
            piece_id=theme.pk,
            expected_version=1,
            data={"number": 2, "title": "Dubbel", "introduction": ""},
        )


def test_a_range_needs_an_upper_bound_not_below_the_value(world, concept):
    target = target_of(concept)
    with pytest.raises(ValidationError, match="bovengrens"):
        _update(
            world, concept, target, 1, kind="range", value=Decimal("10"), value_max=Decimal("5")
        )


def test_adding_and_removing_pieces_is_recorded(world, concept):
    actor = world.users["werkgroep"]
    theme = services.framework_piece_add(
        actor=actor, framework=concept, kind="thema", parent_id=None, data={"title": "Wonen"}
    )
    assert theme.number == 3
    agreement = services.framework_piece_add(
        actor=actor,
        framework=concept,
        kind="afspraak",
        parent_id=theme.pk,
        data={"title": "Nultreden", "text": ""},
    )
    target = services.framework_piece_add(
        actor=actor,
        framework=concept,
        kind="doel",
        parent_id=agreement.pk,
        data={"label": "Nultredenwoningen", "kind": "value", "value": Decimal("4000")},
    )
    assert (agreement.number, target.code) == (1, "nultredenwoningen")
    services.framework_piece_remove(actor=actor, framework=concept, kind="thema", piece_id=theme.pk)
    assert not Target.objects.filter(pk=target.pk).exists()
    removed = _history(concept, "thema").get(action="delete")
    assert removed.before["title"] == "Wonen" and removed.after == {}


def test_a_piece_of_another_framework_is_refused(world, concept):
    with pytest.raises(ValidationError):
        _update(world, concept, target_of(world.framework), 1, value=Decimal("1"))


def test_every_party_comments_and_the_working_group_hears_of_it(
    world, concept, django_capture_on_commit_callbacks
):
    world.users["werkgroep"].email = "werkgroep@example.org"
    world.users["werkgroep"].save()
    with django_capture_on_commit_callbacks(execute=True):
        drafting.comment_add(
            actor=world.users["heemwonen"],
            document=services.FrameworkDrafted(concept),
            piece_type="doel",
            piece_id=target_of(concept).pk,
            text="Is 478 haalbaar?",
        )
    assert [m.to for m in mail.outbox] == [["werkgroep@example.org"]]
    assert concept.title in mail.outbox[0].subject
    with pytest.raises(PermissionDenied):
        drafting.comment_add(
            actor=world.users["meander"],
            document=services.FrameworkDrafted(concept),
            piece_type="doel",
            piece_id=target_of(concept).pk,
            text="Van buiten",
        )
