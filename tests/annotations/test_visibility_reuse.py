"""`visible_to` builds its filter once per reader object and hands out copies: the copies must
answer exactly as a filter built afresh would, whatever happens between two reads."""

import pytest

from annotations.models import Annotation
from reader.models import Article
from seminars.models import Membership
from tests.annotations.factories import note_on_article

pytestmark = pytest.mark.django_db


def ids(notes):
    return set(notes.values_list("pk", flat=True))


@pytest.fixture
def notes(article, alice, charlie):
    return {
        "private": note_on_article(alice, article, visibility="private"),
        "public": note_on_article(alice, article, visibility="public"),
        "other": note_on_article(charlie, article, visibility="public"),
    }


def test_narrowing_one_copy_leaves_the_next_whole(bob, notes):
    narrowed = Annotation.objects.visible_to(bob).filter(author=notes["other"].author)
    assert ids(narrowed) == {notes["other"].pk}
    assert ids(Annotation.objects.visible_to(bob)) == {notes["public"].pk, notes["other"].pk}


def test_a_narrowed_query_answers_as_the_whole_table_narrowed_afterwards(bob, article, notes):
    before = Annotation.objects.filter(article=article).visible_to(bob)
    after = Annotation.objects.visible_to(bob).filter(article=article)
    assert ids(before) == ids(after) == {notes["public"].pk, notes["other"].pk}


def test_a_seminar_joined_between_two_reads_is_seen_by_the_second(bob, alice, article, make_seminar):
    seminar = make_seminar("Reading room", instructors=[alice])
    shared = note_on_article(alice, article, visibility="seminar", seminar=seminar)
    assert shared.pk not in ids(Annotation.objects.visible_to(bob))
    Membership.objects.create(seminar=seminar, user=bob)
    assert shared.pk in ids(Annotation.objects.visible_to(bob))


def test_a_reader_made_staff_on_the_same_object_reads_notes_on_drafts(bob, alice, article, notes):
    assert ids(Annotation.objects.visible_to(bob)) == {notes["public"].pk, notes["other"].pk}
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert ids(Annotation.objects.visible_to(bob)) == set()
    bob.is_staff = True
    assert ids(Annotation.objects.visible_to(bob)) == {notes["public"].pk, notes["other"].pk}
    assert notes["private"].pk not in ids(Annotation.objects.visible_to(bob))


def test_each_reader_object_has_its_own_filter(alice, bob, notes):
    assert notes["private"].pk in ids(Annotation.objects.visible_to(alice))
    assert notes["private"].pk not in ids(Annotation.objects.visible_to(bob))
    assert notes["private"].pk in ids(Annotation.objects.visible_to(alice))
