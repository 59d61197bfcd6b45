"""The note form's tag suggestions: the reader's own most used tags, and the tags on the notes they
may see on this article; never the whole site's notes, so they cost the same on a busy site."""

import pytest

from annotations import reading
from annotations.reading import tag_suggestions
from tests.annotations.factories import import_markdown, note_on_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(write_markdown):
    return import_markdown(write_markdown, "Title: Elsewhere\n\nAnother text entirely.\n", slug="elsewhere")


def test_a_readers_own_tags_from_other_articles_are_suggested(alice, article, other):
    note_on_article(alice, other, tags=["mine", "history"])
    assert tag_suggestions(alice, article) == ["history", "mine"]


def test_the_tags_of_notes_a_reader_may_see_on_this_article_are_suggested(alice, bob, article):
    note_on_article(alice, article, tags=["shared"], visibility="public")
    note_on_article(alice, article, tags=["secret"])
    assert tag_suggestions(bob, article) == ["shared"]
    assert tag_suggestions(alice, article) == ["secret", "shared"]


def test_another_readers_tags_on_other_articles_are_not_suggested(alice, bob, article, other):
    note_on_article(alice, other, tags=["public elsewhere"], visibility="public")
    note_on_article(alice, other, tags=["private elsewhere"])
    assert tag_suggestions(bob, article) == []
    assert tag_suggestions(bob) == []


def test_staff_are_not_offered_the_tags_of_private_notes_they_do_not_moderate(alice, curator, article):
    note_on_article(alice, article, tags=["private"])
    assert tag_suggestions(curator, article) == []


def test_the_most_used_of_a_readers_own_tags_are_suggested_when_there_are_many(alice, article, monkeypatch):
    monkeypatch.setattr(reading, "SUGGESTED", 2)
    for n in range(3):
        note_on_article(alice, article, tags=["often"] + (["sometimes"] if n else []) + ([f"once {n}"]))
    assert tag_suggestions(alice) == ["often", "sometimes"]


def test_an_anonymous_reader_is_offered_nothing(article):
    from django.contrib.auth.models import AnonymousUser

    assert tag_suggestions(AnonymousUser(), article) == []


def test_suggestions_cost_the_same_queries_however_many_notes_the_site_holds(
    alice, bob, article, other, django_assert_num_queries
):
    with django_assert_num_queries(1):  # no tag here or on her notes: one small query says so
        assert tag_suggestions(alice, article) == []
    note_on_article(bob, article, tags=["here"], visibility="public")
    with django_assert_num_queries(2):  # that query, then the tags she may see
        few = tag_suggestions(alice, article)
    for n in range(20):
        note_on_article(bob, other, tags=[f"tag {n}"], visibility="public")
        note_on_article(alice, other, tags=[f"own {n % 3}"])
    with django_assert_num_queries(2):
        many = tag_suggestions(alice, article)
    assert few == ["here"]
    assert many == ["here", "own 0", "own 1", "own 2"]
