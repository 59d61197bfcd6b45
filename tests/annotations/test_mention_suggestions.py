"""@mention suggestions (/mentions/suggest/) name only the people who could read the note.

For a reply or an edit: whoever `visible_to` lets read that note (the rule `mentionable` uses).
For a new note: its chosen audience. Nobody learns who is in a seminar they are not in.
"""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from annotations.views.people import MAX_SUGGESTIONS
from annotations.writing import create_reply
from reader.models import Article
from tests.annotations.factories import note_on_quote
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

QUOTE = "North Korea shot the missiles"
URL = reverse("people-suggest")


def suggested(client, status=200, **params):
    response = client.get(URL, params, headers={"accept": "application/json"})
    assert response.status_code == status, response.content
    return response.json()["people"] if status == 200 else response


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def seminar_note(alice, article, seminar):
    return note_on_quote(alice, article, QUOTE, comment="first", visibility="seminar", seminar=seminar)


def test_a_reply_in_a_seminar_suggests_its_members_and_nobody_else(signed_in, seminar_note, charlie):
    client = signed_in(seminar_note.author)
    assert suggested(client, q="b", note=seminar_note.pk) == ["bob"]
    assert suggested(client, q="c", note=seminar_note.pk) == []  # charlie is not in the seminar


def test_suggestions_start_with_q_ignore_case_and_leave_out_the_requester(signed_in, alice, bob, article):
    note = note_on_quote(alice, article, QUOTE, visibility="public")
    client = signed_in(alice)
    assert suggested(client, q="B", note=note.pk) == ["bob"]
    assert suggested(client, q="a", note=note.pk) == []  # alice herself


def test_a_stranger_never_learns_who_is_in_a_seminar(signed_in, seminar_note, article, charlie, seminar):
    client = signed_in(charlie)
    suggested(client, 404, q="b", note=seminar_note.pk)  # a note charlie cannot read is not there
    suggested(client, 404, q="b", article=article.slug, visibility=f"seminar:{seminar.slug}")
    suggested(client, 404, q="b", article=article.slug, visibility="seminar:no-such-seminar")  # the same answer
    # nor through an edit's audience, on a note of his own
    own = note_on_quote(charlie, article, QUOTE)
    suggested(client, 404, q="b", note=own.pk, visibility=f"seminar:{seminar.slug}")


def test_a_new_seminar_note_suggests_its_members(signed_in, alice, article, seminar, charlie):
    client = signed_in(alice)
    assert suggested(client, q="b", article=article.slug, visibility=f"seminar:{seminar.slug}") == ["bob"]
    assert suggested(client, q="c", article=article.slug, visibility=f"seminar:{seminar.slug}") == []


def test_a_private_note_suggests_nobody(signed_in, alice, bob, article):
    note = note_on_quote(alice, article, QUOTE)
    client = signed_in(alice)
    assert suggested(client, q="b", note=note.pk) == []
    assert suggested(client, q="b", article=article.slug, visibility="private") == []
    assert suggested(client, q="b", article=article.slug) == []  # no audience chosen: private


def test_a_new_public_note_suggests_active_readers_at_most_eight(signed_in, alice, article, django_user_model):
    for i in range(MAX_SUGGESTIONS + 3):
        django_user_model.objects.create_user(f"reader{i:02}", password=PASSWORD)
    django_user_model.objects.create_user("readergone", password=PASSWORD, is_active=False)
    people = suggested(signed_in(alice), q="read", article=article.slug, visibility="public")
    assert people == [f"reader{i:02}" for i in range(MAX_SUGGESTIONS)]


def test_inactive_people_are_not_suggested(signed_in, alice, bob, article):
    note = note_on_quote(alice, article, QUOTE, visibility="public")
    bob.is_active = False
    bob.save()
    assert suggested(signed_in(alice), q="b", note=note.pk) == []


def test_a_hidden_thread_suggests_only_those_who_still_read_it(signed_in, alice, bob, charlie, article, seminar):
    from seminars.models import Membership

    Membership.objects.create(seminar=seminar, user=charlie)
    note = note_on_quote(bob, article, QUOTE, comment="first", visibility="seminar", seminar=seminar)
    Annotation.objects.filter(pk=note.pk).update(hidden=True)  # alice, the instructor, hid it
    assert suggested(signed_in(alice), q="c", note=note.pk) == []  # a member, but it is hidden from him
    assert suggested(signed_in(alice), q="b", note=note.pk) == ["bob"]  # its author still reads it


def test_a_reply_is_answered_as_its_thread(signed_in, alice, bob, seminar_note):
    reply = create_reply(bob, seminar_note, comment="a reply")
    assert suggested(signed_in(bob), q="a", note=reply.pk) == ["alice"]


def test_an_edit_choosing_another_audience_gets_that_audience(signed_in, alice, bob, article, seminar):
    note = note_on_quote(alice, article, QUOTE)
    assert suggested(signed_in(alice), q="b", note=note.pk, visibility=f"seminar:{seminar.slug}") == ["bob"]


def test_a_draft_article_suggests_only_those_who_read_drafts(signed_in, alice, bob, curator, article):
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    client = signed_in(curator)
    assert suggested(client, q="b", article=article.slug, visibility="public") == []
    assert suggested(client, q="a", article=article.slug, visibility="public") == []
    suggested(signed_in(alice), 404, q="b", article=article.slug, visibility="public")  # alice cannot read it


@pytest.mark.parametrize("q", ["", "a b", "<script>", "x" * 31, "al%", "a/b"])
def test_a_bad_q_is_refused_with_a_message(signed_in, alice, article, q):
    response = suggested(signed_in(alice), 400, q=q, article=article.slug, visibility="public")
    assert "q must be" in response.json()["error"]


def test_a_bad_visibility_is_refused(signed_in, alice, article):
    response = suggested(signed_in(alice), 400, q="b", article=article.slug, visibility="everyone")
    assert "Visibility" in response.json()["error"]


def test_an_unknown_or_malformed_note_is_not_there(signed_in, alice):
    client = signed_in(alice)
    suggested(client, 404, q="b", note="not-a-uuid")
    suggested(client, 404, q="b", note="00000000-0000-0000-0000-000000000000")
    suggested(client, 404, q="b")  # neither a note nor an article


def test_anonymous_is_refused(client, alice, article):
    note = note_on_quote(alice, article, QUOTE, visibility="public")
    response = client.get(URL, {"q": "a", "note": note.pk})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert client.get(URL, {"q": "a", "note": note.pk}, headers={"accept": "application/json"}).status_code == 403
    assert client.get(URL, {"q": "a", "note": note.pk}, headers={"hx-request": "true"}).status_code == 403


def test_only_get(signed_in, alice, article):
    assert signed_in(alice).post(URL, {"q": "a", "article": article.slug}).status_code == 405


def test_the_comment_boxes_carry_the_endpoint(signed_in, alice, article, seminar_note):
    client = signed_in(alice)
    page = client.get(reverse("article-detail", args=[article.slug])).content.decode()
    assert f'data-mentions="{URL}"' in page  # the new-note form: the script adds article and audience
    edit = client.get(reverse("annotation-edit", args=[seminar_note.pk])).content.decode()
    assert f'data-mentions="{URL}?note={seminar_note.pk}"' in edit
    reply = client.get(reverse("annotation-reply", args=[seminar_note.pk])).content.decode()
    assert f'data-mentions="{URL}?note={seminar_note.pk}"' in reply
