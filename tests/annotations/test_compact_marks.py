"""Under many notes the marks say how many notes cover their words; a click asks for exactly those.

Past the page's inline limit, a mark lists only the reader's own notes (data-annotations) and
how many notes cover it (data-count); /articles/<slug>/notes/at/<key>/?at=OFFSET answers with the
notes covering that character. Both must agree with the notes themselves, for every character.
"""

import random

import pytest
from django.urls import reverse

from annotations.models import Annotation
from annotations.reading import INLINE_NOTES
from tests.annotations.factories import (
    PRIVATE,
    PUBLIC,
    import_markdown,
    note_cards,
    note_on_range,
    reading_page,
    text_of,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db

TEXT = (
    "Title: Crowded\n\n"
    "A short opening paragraph that some notes run on from.\n\n"
    "Under this paragraph a seminar's worth of notes overlap: *some* on a word, some on all of it, "
    "some running in from above.\n\n"
    "And a last one.\n"
)


@pytest.fixture
def crowded(write_markdown, alice, bob, charlie):
    return crowd(write_markdown, alice, bob, charlie)


def crowd(write_markdown, alice, bob, charlie):
    """More notes than the page shows inline, overlapping every which way over the middle paragraph."""
    article = import_markdown(write_markdown, TEXT, slug="crowded")
    first, middle, _ = text_of(article).paragraphs
    rng = random.Random(4)
    size = len(middle.text)
    text = text_of(article)
    notes = []
    for _ in range(INLINE_NOTES + 20):  # in bulk, each from a real passage as create_note would place it
        start = rng.randrange(size - 1)
        end = rng.randrange(start + 1, min(size, start + 40) + 1)
        passage = text.by_position(middle.key, start, middle.key, end)
        fields = passage.as_fields() | {"article_revision": article.revision, "visibility": PUBLIC}
        notes.append(Annotation(author=bob, article=article, **fields))
    Annotation.objects.bulk_create(notes)
    for n in range(5):  # from the paragraph above into this one
        note_on_range(bob, article, first.key, 2 + n, middle.key, 10 + 7 * n, visibility=PUBLIC, comment=f"in{n}")
    for n in range(4):  # alice's own, listed on her marks
        note_on_range(alice, article, middle.key, 3 * n, middle.key, 3 * n + 20, comment=f"mine{n}")
    note_on_range(charlie, article, middle.key, 0, middle.key, size, visibility=PRIVATE, comment="charlie's secret")
    return article, middle


def spans(article, viewer):
    """(note id, from, to) of each note a reader can see, in (paragraph position, offset) pairs."""
    notes = Annotation.objects.visible_to(viewer).for_article(article).top_level()
    placed = notes.filter(anchor_status=Annotation.AnchorStatus.ANCHORED).exclude(start_paragraph=None)
    return [
        (str(note.pk), (note.start_paragraph.position, note.start_offset),
         (note.end_paragraph.position, note.end_offset))
        for note in placed.select_related("start_paragraph", "end_paragraph")
    ]  # fmt: skip


def covering(spans, paragraph, offset):
    """The notes that cover one character, from the notes' own fields."""
    here = (paragraph.position, offset)
    return {ident for ident, start, end in spans if start <= here < end}


def marks_by_offset(page, key):
    """For each character of the paragraph: (count, listed ids) of the mark on it, or None."""
    block = parse(page).one("div", class_="block-text", data_key=key)
    at = {}
    offset = 0

    def walk(element, mark=None):
        nonlocal offset
        for child in element.contents:
            if isinstance(child, str):
                for _ in child:
                    at[offset] = mark
                    offset += 1
            else:
                walk(child, child if child.tag == "mark" else mark)

    walk(block)
    return at


def test_every_character_shows_how_many_notes_cover_it_and_a_click_opens_exactly_those(client, crowded, alice):
    article, middle = crowded
    client.force_login(alice)
    page = reading_page(client, article)
    marks = marks_by_offset(page, middle.key)
    assert len(marks) == len(middle.text)
    mine = {str(pk) for pk in Annotation.objects.filter(author=alice).values_list("pk", flat=True)}
    url = reverse("annotation-list", args=[article.slug, middle.key])
    asked, seen = {}, spans(article, alice)
    for offset in range(len(middle.text)):
        expected = covering(seen, middle, offset)
        mark = marks[offset]
        if not expected:
            assert mark is None, f"a mark on character {offset}, which no note covers"
            continue
        assert int(mark["data-count"]) == len(expected), offset
        assert set(mark.get("data-annotations", "").split()) == expected & mine, "only the reader's own are listed"
        if mark.start not in asked:  # every character of a mark has the same notes
            asked[mark.start] = set(note_cards(client.get(url, {"at": offset}).content.decode()))
            thread_roots = asked[mark.start] - {
                str(pk) for pk in Annotation.objects.filter(parent__isnull=False).values_list("pk", flat=True)
            }
            assert thread_roots == expected, f"the notes a click on character {offset} opens"


def test_the_crowded_page_lists_no_one_elses_ids(client, crowded, alice, charlie):
    article, _ = crowded
    client.force_login(alice)
    page = reading_page(client, article)
    listed = {ident for mark in parse(page).find_all("mark") for ident in mark.get("data-annotations", "").split()}
    assert listed == {str(pk) for pk in Annotation.objects.filter(author=alice).values_list("pk", flat=True)}
    assert "charlie's secret" not in page


def test_a_stranger_never_gets_a_private_note_by_clicking(client, crowded, charlie, bob):
    article, middle = crowded
    secret = Annotation.objects.get(comment="charlie's secret")
    client.force_login(bob)
    url = reverse("annotation-list", args=[article.slug, middle.key])
    for offset in (0, 5, len(middle.text) - 1):
        assert str(secret.pk) not in client.get(url, {"at": offset}).content.decode()


@pytest.mark.parametrize("value", ["-1", "9999", "x", "", "1.5", "٣", "1_0", " 3 ", "9" * 5000])
def test_a_place_outside_the_paragraph_is_refused_with_a_message(client, crowded, alice, value):
    article, middle = crowded
    client.force_login(alice)
    response = client.get(reverse("annotation-list", args=[article.slug, middle.key]), {"at": value})
    assert response.status_code == 400
    assert f"from 0 to {len(middle.text) - 1}" in response.content.decode()


def test_few_notes_keep_their_ids_on_the_marks(client, alice, article):
    paragraph = text_of(article).paragraphs[1]
    note = note_on_range(alice, article, paragraph.key, 0, paragraph.key, 10)
    client.force_login(alice)
    page = reading_page(client, article)
    assert [mark["data-annotations"] for mark in parse(page).find_all("mark")] == [str(note.pk)]
    assert not parse(page).find_all("mark", data_count=True)
