"""Deleting a seminar: its instructor confirms, then it goes; its notes stay, as their authors' private notes.

alice instructs "Korea 2006", bob takes part, charlie is a stranger to it.
"""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from annotations.writing import create_reply, delete_note
from seminars.models import Membership, ReadingListEntry, Seminar
from tests.annotations.factories import PUBLIC, note_on_article, note_on_quote

pytestmark = pytest.mark.django_db

SEMINAR = Annotation.Visibility.SEMINAR
PRIVATE = Annotation.Visibility.PRIVATE
QUOTE = "North Korea shot the missiles"


@pytest.fixture
def korea(seminar, article):
    seminar.add_to_reading_list(article)
    return seminar


@pytest.fixture
def shared(korea, article, alice, bob):
    """Notes shared with the seminar: bob's thread with alice's reply, alice's note; and a public one beside."""
    thread = note_on_quote(bob, article, QUOTE, comment="Why then?", visibility=SEMINAR, seminar=korea)
    reply = create_reply(alice, thread, comment="Look at the date.")
    own = note_on_article(alice, article, comment="Read this first.", visibility=SEMINAR, seminar=korea)
    public = note_on_article(bob, article, comment="For everyone.", visibility=PUBLIC)
    return {"thread": thread, "reply": reply, "own": own, "public": public}


def delete_url(seminar):
    return reverse("seminar-delete", args=[seminar.slug])


def state():
    """Everything a refused request must leave as it was."""
    return (
        list(Seminar.objects.values_list("slug", flat=True)),
        list(Membership.objects.values_list("pk", flat=True)),
        list(ReadingListEntry.objects.values_list("pk", flat=True)),
        list(Annotation.objects.order_by("pk").values_list("pk", "visibility", "seminar")),
    )


def test_the_seminar_page_offers_its_instructor_a_delete_link(client, alice, korea):
    client.force_login(alice)
    assert delete_url(korea) in client.get(korea.get_absolute_url()).content.decode()


def test_a_participant_is_not_offered_the_delete_link(client, bob, korea):
    client.force_login(bob)
    assert delete_url(korea) not in client.get(korea.get_absolute_url()).content.decode()


def test_the_confirmation_page_says_what_happens_to_the_notes(client, alice, korea, shared):
    client.force_login(alice)
    response = client.get(delete_url(korea))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Delete Korea 2006?" in page
    assert "No note is lost" in page
    assert "3 notes shared with it (replies included) become private" in page
    assert Seminar.objects.filter(pk=korea.pk).exists()


def test_alice_deletes_her_seminar_and_every_note_becomes_its_authors_private_note(client, alice, bob, korea, shared):
    notes_before = Annotation.objects.count()
    client.force_login(alice)
    response = client.post(delete_url(korea), follow=True)
    assert response.redirect_chain[-1][0] == reverse("seminar-list")
    assert "Korea 2006 is deleted" in response.content.decode()
    assert not Seminar.objects.filter(pk=korea.pk).exists()
    assert Annotation.objects.count() == notes_before
    for name in ("thread", "reply", "own"):
        note = Annotation.objects.get(pk=shared[name].pk)
        assert (note.visibility, note.seminar_id) == (PRIVATE, None), name
        assert note.author_id == shared[name].author_id
    assert Annotation.objects.get(pk=shared["public"].pk).visibility == PUBLIC


def test_after_the_delete_each_author_alone_sees_their_notes(client, alice, bob, korea, shared):
    korea.close()
    bobs = set(Annotation.objects.visible_to(bob).values_list("pk", flat=True))
    alices = set(Annotation.objects.visible_to(alice).values_list("pk", flat=True))
    assert shared["thread"].pk in bobs
    assert shared["thread"].pk not in alices
    assert shared["reply"].pk in alices
    assert shared["own"].pk in alices
    assert shared["own"].pk not in bobs


def test_a_deleted_thread_kept_for_its_replies_and_a_hidden_note_are_kept_too(alice, bob, korea, shared):
    delete_note(shared["thread"])  # kept, marked deleted, for alice's reply
    Annotation.objects.filter(pk=shared["own"].pk).update(hidden=True)
    korea.close()
    assert Annotation.objects.filter(pk__in=[shared["own"].pk, shared["thread"].pk], visibility=PRIVATE).count() == 2


def test_memberships_and_reading_list_entries_go_with_the_seminar(client, alice, korea, article):
    client.force_login(alice)
    client.post(delete_url(korea))
    assert not Membership.objects.filter(seminar_id=korea.pk).exists()
    assert not ReadingListEntry.objects.filter(seminar_id=korea.pk).exists()
    assert article.__class__.objects.filter(pk=article.pk).exists()


def test_other_seminars_notes_are_untouched(make_seminar, alice, charlie, korea, shared, article):
    other = make_seminar("Other", instructors=[charlie])
    theirs = note_on_article(charlie, article, comment="Ours.", visibility=SEMINAR, seminar=other)
    korea.close()
    theirs.refresh_from_db()
    assert (theirs.visibility, theirs.seminar_id) == (SEMINAR, other.pk)


def test_a_participant_cannot_delete_the_seminar(client, bob, korea, shared):
    before = state()
    client.force_login(bob)
    assert client.get(delete_url(korea)).status_code == 403
    assert client.post(delete_url(korea)).status_code == 403
    assert state() == before


def test_a_stranger_cannot_even_find_the_seminar(client, charlie, korea, shared):
    before = state()
    client.force_login(charlie)
    assert client.get(delete_url(korea)).status_code == 404
    assert client.post(delete_url(korea)).status_code == 404
    assert state() == before


def test_staff_who_are_not_instructors_cannot_delete_it(client, curator, korea):
    before = state()
    client.force_login(curator)
    assert client.post(delete_url(korea)).status_code == 404
    assert state() == before


def test_signed_out_readers_are_sent_to_sign_in(client, korea):
    before = state()
    response = client.post(delete_url(korea))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert state() == before


def test_a_missing_seminar_is_a_404(client, alice):
    client.force_login(alice)
    assert client.post(reverse("seminar-delete", args=["no-such-seminar"])).status_code == 404


def test_other_methods_are_refused(client, alice, korea):
    before = state()
    client.force_login(alice)
    assert client.put(delete_url(korea)).status_code == 405
    assert client.delete(delete_url(korea)).status_code == 405
    assert state() == before


# From the admin -------------------------------------------------------------------------


def test_staff_delete_a_seminar_from_the_admin_and_its_notes_stay_private(client, curator, korea, shared):
    client.force_login(curator)
    url = reverse("admin:seminars_seminar_delete", args=[korea.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Cannot delete" not in confirm.content.decode()
    response = client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert not Seminar.objects.filter(pk=korea.pk).exists()
    assert "3 notes shared with it stay with their authors, as private notes" in response.content.decode()
    for name in ("thread", "reply", "own"):
        note = Annotation.objects.get(pk=shared[name].pk)
        assert (note.visibility, note.seminar_id) == (PRIVATE, None), name
    assert Annotation.objects.get(pk=shared["public"].pk).visibility == PUBLIC


def test_the_admins_bulk_delete_closes_each_seminar(client, curator, korea, shared, make_seminar, charlie):
    other = make_seminar("Other", instructors=[charlie])
    client.force_login(curator)
    url = reverse("admin:seminars_seminar_changelist")
    data = {"action": "delete_selected", "_selected_action": [korea.pk, other.pk], "post": "yes"}
    assert client.post(url, data).status_code == 302
    assert not Seminar.objects.exists()
    assert Annotation.objects.filter(pk=shared["own"].pk, visibility=PRIVATE).exists()
