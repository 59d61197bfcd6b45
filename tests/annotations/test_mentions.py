"""@mentions reach exactly the people who can read the note: `mentionable` asks `visible_to`."""

import pytest

from annotations.models import MAX_MENTIONS, Annotation, Notification
from annotations.writing import create_reply, update_note
from reader.models import Article
from seminars.models import Membership, Seminar
from tests.annotations.factories import note_on_quote

pytestmark = pytest.mark.django_db

QUOTE = "North Korea shot the missiles"


def mentioned(note):
    return set(
        Notification.objects.filter(annotation=note, kind="mention").values_list("recipient__username", flat=True)
    )


def test_a_public_note_mentions_any_reader_and_links_to_them(alice, bob, article):
    note = note_on_quote(alice, article, QUOTE, comment="@bob look", visibility="public")
    update_note(note, comment="@bob look at this")
    assert '<a class="mention" href="/people/bob/">@bob</a>' in Annotation.objects.get(pk=note.pk).comment_html
    assert mentioned(note) == {"bob"}


def test_a_private_note_mentions_nobody_else(alice, bob, article):
    note = note_on_quote(alice, article, QUOTE)
    update_note(note, comment="@bob should not know")
    assert "/people/bob/" not in Annotation.objects.get(pk=note.pk).comment_html
    assert mentioned(note) == set()


def test_a_hidden_thread_cannot_mention_a_member_who_no_longer_reads_it(alice, bob, charlie, article):
    seminar = Seminar.objects.create(slug="s", name="S")
    Membership.objects.create(seminar=seminar, user=alice, role=Membership.Role.INSTRUCTOR)
    Membership.objects.create(seminar=seminar, user=bob)
    Membership.objects.create(seminar=seminar, user=charlie)
    note = note_on_quote(bob, article, QUOTE, comment="first", visibility="seminar", seminar=seminar)
    before = create_reply(alice, note, comment="@charlie what do you make of it?")
    assert '<a class="mention" href="/people/charlie/">@charlie</a>' in before.comment_html
    Annotation.objects.filter(pk=note.pk).update(hidden=True)  # an instructor hid it
    note.refresh_from_db()
    after = create_reply(alice, note, comment="@charlie this was hidden")
    assert "/people/charlie/" not in after.comment_html  # a member, but the thread is hidden from him
    assert mentioned(before) == {"charlie"}
    assert mentioned(after) == set()


def test_a_note_on_a_draft_cannot_mention_a_reader_who_cannot_read_drafts(curator, bob, article):
    article.status = Article.Status.DRAFT
    article.save()
    note = note_on_quote(curator, article, QUOTE, comment="@bob soon", visibility="public")
    assert "/people/bob/" not in note.comment_html
    assert mentioned(note) == set()


def test_only_the_first_names_of_a_long_list_are_looked_up(alice, django_user_model, article):
    names = [f"reader{i}" for i in range(MAX_MENTIONS + 5)]
    for name in names:
        django_user_model.objects.create_user(name)
    note = note_on_quote(alice, article, QUOTE, comment=" ".join(f"@{name}" for name in names), visibility="public")
    assert mentioned(note) == set(names[:MAX_MENTIONS])
