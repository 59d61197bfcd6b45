"""The places the reading page reads for its marks and counts say what the notes themselves say.

`_spots` reads its rows straight from the cursor, so a column out of order would put an offset where
a paragraph belongs and mark the wrong words: each row is checked against its note.
"""

import pytest

from annotations.models import Annotation
from annotations.reading import ON_ARTICLE, ON_PASSAGE, UNPLACED, Filters, Spot, _dashed, _spots, notes_for_reader
from tests.annotations.factories import note_on_article, note_on_range

pytestmark = pytest.mark.django_db


def test_each_place_read_for_the_marks_is_its_notes_own(alice, bob, article):
    first, second = list(article.paragraphs.exclude(text=""))[:2]
    notes = [
        note_on_range(alice, article, first.key, 2, first.key, 9, visibility="public"),
        note_on_range(bob, article, first.key, 5, second.key, 4, visibility="public"),
        note_on_article(alice, article, visibility="public"),
        note_on_range(bob, article, second.key, 1, second.key, 6, visibility="public"),
    ]
    Annotation.objects.filter(pk=notes[3].pk).update(anchor_status=Annotation.AnchorStatus.ORPHANED)
    expected = {str(note.pk): Spot.of(note)[1:] for note in Annotation.objects.filter(pk__in=[n.pk for n in notes])}
    for filters in (Filters(), Filters(tag="nothing")):  # a tag filter makes the query DISTINCT
        read = {_dashed(spot.pk): spot[1:] for spot in _spots(notes_for_reader(bob, article, filters))}
        assert read == (expected if not filters.tag else {})
    assert {spot[-1] for spot in expected.values()} == {ON_PASSAGE, ON_ARTICLE, UNPLACED}
    assert expected[str(notes[1].pk)][:5] == (bob.pk, first.pk, second.pk, 5, 4)


def test_a_tag_filter_reads_the_same_places(alice, article):
    paragraph = article.paragraphs.exclude(text="").first()
    note = note_on_range(alice, article, paragraph.key, 0, paragraph.key, 5, tags=["war"], visibility="public")
    (spot,) = _spots(notes_for_reader(alice, article, Filters(tag="WAR")))
    assert (_dashed(spot.pk), *spot[1:]) == (str(note.pk), *Spot.of(note)[1:])


def test_a_filter_nothing_can_pass_reads_nothing(alice, article):
    from django.contrib.auth.models import AnonymousUser

    note_on_article(alice, article, visibility="public")
    assert _spots(notes_for_reader(AnonymousUser(), article, Filters(scope="mine"))) == []
