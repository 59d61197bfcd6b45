"""The notes admin: staff moderate public notes and never see readers' private or seminar notes."""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from seminars.models import Membership, Seminar
from tests.annotations.factories import note_on_quote

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:annotations_annotation_changelist")


@pytest.fixture
def notes(alice, article):
    seminar = Seminar.objects.create(slug="s", name="S")
    Membership.objects.create(seminar=seminar, user=alice)
    return {
        "private": note_on_quote(alice, article, "North Korea shot the missiles", comment="privatesecret"),
        "seminar": note_on_quote(
            alice, article, "abrupt policy changes", comment="seminarsecret", visibility="seminar", seminar=seminar
        ),
        "public": note_on_quote(alice, article, "unpredictability", comment="publicword", visibility="public"),
    }


def test_the_changelist_shows_staff_only_the_public_note(client, curator, notes):
    client.force_login(curator)
    page = client.get(CHANGELIST).content.decode()
    assert str(notes["public"]).split(":")[0] in page
    assert reverse("admin:annotations_annotation_change", args=[notes["public"].pk]) in page
    for hidden in ("private", "seminar"):
        assert reverse("admin:annotations_annotation_change", args=[notes[hidden].pk]) not in page
        assert client.get(reverse("admin:annotations_annotation_change", args=[notes[hidden].pk])).status_code == 302


def test_the_hide_action_hides_a_public_note_from_readers_but_not_its_author(client, curator, bob, alice, notes):
    client.force_login(curator)
    response = client.post(CHANGELIST, {"action": "hide", "_selected_action": [notes["public"].pk]})
    assert response.status_code == 302
    note = Annotation.objects.get(pk=notes["public"].pk)
    assert note.hidden
    assert note.hidden_by == curator
    assert not Annotation.objects.visible_to(bob).filter(pk=note.pk).exists()
    assert Annotation.objects.visible_to(alice).filter(pk=note.pk).exists()
    client.post(CHANGELIST, {"action": "unhide", "_selected_action": [note.pk]})
    assert Annotation.objects.visible_to(bob).filter(pk=note.pk).exists()


@pytest.fixture
def curator_in_the_seminar(curator, notes):
    """The curator takes part in the seminar (a participant, not its instructor): she reads its notes."""
    Membership.objects.create(seminar=notes["seminar"].seminar, user=curator)
    return curator


def test_the_hide_action_leaves_a_seminar_note_staff_only_take_part_in(client, curator_in_the_seminar, notes):
    client.force_login(curator_in_the_seminar)
    selected = [notes["seminar"].pk, notes["public"].pk]
    response = client.post(CHANGELIST, {"action": "hide", "_selected_action": selected}, follow=True)
    assert not Annotation.objects.get(pk=notes["seminar"].pk).hidden  # the seminar's instructors moderate it
    assert Annotation.objects.get(pk=notes["public"].pk).hidden
    assert "1 note(s) left as they were" in response.content.decode()


def test_the_change_form_does_not_let_staff_hide_a_seminar_note_they_only_take_part_in(
    client, curator_in_the_seminar, notes
):
    client.force_login(curator_in_the_seminar)
    url = reverse("admin:annotations_annotation_change", args=[notes["seminar"].pk])
    client.post(url, {"hidden": "on"})
    assert not Annotation.objects.get(pk=notes["seminar"].pk).hidden
