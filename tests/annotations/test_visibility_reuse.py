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


@pytest.mark.parametrize(
    "changed",
    [
        lambda notes: notes.select_for_update(),
        lambda notes: notes.order_by(),
        lambda notes: notes.reverse(),
        lambda notes: notes.only("pk"),
        lambda notes: notes.defer("comment"),
        lambda notes: notes.extra(order_by=["created"]),
        lambda notes: notes.select_related("author"),
        lambda notes: notes.using("default"),
        lambda notes: notes.all().all(),
    ],
)
def test_a_queryset_changed_in_any_way_keeps_its_change_and_leaves_the_next_read_plain(bob, changed):
    """Whichever comes first, the changed queryset or the plain one, neither takes the other's state."""
    plain = str(Annotation.objects.all()._visible_to(bob).query)
    first = changed(Annotation.objects).visible_to(bob)
    assert str(first.query) == str(changed(Annotation.objects)._visible_to(bob).query)
    assert first.query.select_for_update == changed(Annotation.objects).query.select_for_update
    assert str(Annotation.objects.visible_to(bob).query) == plain
    again = changed(Annotation.objects).visible_to(bob)  # the plain filter is built now: it must not leak in
    assert str(again.query) == str(first.query)
    assert again.query.select_for_update == first.query.select_for_update
    assert vars(again.query).keys() == vars(first.query).keys()
