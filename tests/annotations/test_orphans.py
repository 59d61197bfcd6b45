"""Re-importing an article never deletes a note: unchanged paragraphs keep theirs, the rest are orphaned."""

import pytest

from annotations.models import Annotation
from reader.models import Paragraph
from tests.annotations.factories import (
    PUBLIC,
    import_markdown,
    marked_ids,
    note_cards,
    note_on_article,
    note_on_quote,
    note_on_range,
    reading_page,
    text_of,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db

ONE = "The first paragraph stays exactly as it is."
TWO = "The second paragraph will be edited by the curator."
THREE = "The third paragraph will be removed."
FOUR = "The fourth paragraph keeps its words but gains *emphasis*."
FIVE = "The fifth paragraph is the last one."


def markdown(*paragraphs):
    return "Title: Changing\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def reimport(write_markdown):
    def reimport(*paragraphs):
        return import_markdown(write_markdown, markdown(*paragraphs), slug="changing")

    return reimport


@pytest.fixture
def changing(reimport):
    return reimport(ONE, TWO, THREE, FOUR, FIVE)


def fresh(note):
    return Annotation.objects.select_related("start_paragraph", "end_paragraph").get(pk=note.pk)


def paragraph_with(article, text):
    return Paragraph.objects.get(article=article, text=text)


def test_reimporting_the_same_text_changes_nothing(reimport, alice, changing):
    note = note_on_quote(alice, changing, "stays exactly")
    reimport(ONE, TWO, THREE, FOUR, FIVE)
    after = fresh(note)
    assert (after.anchor_status, after.start_paragraph_id) == ("anchored", note.start_paragraph_id)
    changing.refresh_from_db()
    assert changing.revision == 1


def test_notes_on_unchanged_paragraphs_stay_attached_even_when_they_move(reimport, alice, changing):
    first = note_on_quote(alice, changing, "stays exactly")
    last = note_on_quote(alice, changing, "is the last", visibility=PUBLIC)
    reimport("A new opening paragraph.", ONE, TWO + " Edited.", FOUR.replace("*", "**"), FIVE)
    for note in (first, last):
        after = fresh(note)
        assert after.anchor_status == "anchored"
        assert after.start_paragraph_id == note.start_paragraph_id
        assert after.start_key == note.start_key
        assert (after.start_offset, after.end_offset, after.quote_exact) == (
            note.start_offset,
            note.end_offset,
            note.quote_exact,
        )


def test_a_note_on_a_paragraph_whose_markup_changed_but_not_its_text_stays_attached(reimport, alice, changing):
    note = note_on_quote(alice, changing, "gains emphasis")
    reimport(ONE, TWO, THREE, FOUR.replace("*emphasis*", "**emphasis**"), FIVE)
    assert fresh(note).anchor_status == "anchored"
    assert fresh(note).start_paragraph_id == note.start_paragraph_id


def test_notes_on_edited_and_removed_paragraphs_are_kept_and_orphaned(reimport, alice, bob, changing):
    edited = note_on_quote(alice, changing, "will be edited", comment="on two", tags=["kept"])
    removed = note_on_quote(bob, changing, "will be removed", visibility=PUBLIC)
    reimport(ONE, TWO.replace("edited", "rewritten"), FOUR, FIVE)
    for note in (edited, removed):
        after = fresh(note)
        assert after.anchor_status == "orphaned"
        assert after.start_paragraph is None
        assert (after.start_key, after.start_offset, after.end_offset) == (
            note.start_key,
            note.start_offset,
            note.end_offset,
        )
        assert (after.quote_exact, after.quote_prefix, after.quote_suffix) == (
            note.quote_exact,
            note.quote_prefix,
            note.quote_suffix,
        )
        assert after.article_revision == 1
    assert fresh(edited).comment == "on two"
    assert list(fresh(edited).tags.names()) == ["kept"]


def marked_text(note):
    """The words a note marks now, read from the article's text at its place."""
    note = fresh(note)
    return text_of(note.article).by_position(note.start_key, note.start_offset, note.end_key, note.end_offset).exact


def test_a_note_whose_last_word_changed_is_suggested_for_its_author_to_check(client, reimport, alice, changing):
    one, two = paragraph_with(changing, ONE), paragraph_with(changing, TWO)
    note = note_on_range(alice, changing, one.key, 4, two.key, 10)
    reimport(ONE, TWO.replace("second", "2nd"), THREE, FOUR, FIVE)
    after = fresh(note)
    assert after.anchor_status == "suggested"
    assert after.anchor_candidates[0]["text"] == "first paragraph stays exactly as it is.\n\nThe 2nd"
    assert after.quote_exact == "first paragraph stays exactly as it is.\n\nThe second"  # as written
    client.force_login(alice)
    assert str(note.pk) not in marked_ids(reading_page(client, changing))  # not marked until checked


def test_reimporting_never_deletes_a_note(reimport, alice, bob, changing):
    note_on_article(alice, changing, comment="whole")
    for quote in ("stays exactly", "will be edited", "will be removed", "gains", "is the last"):
        note_on_quote(alice, changing, quote)
        note_on_quote(bob, changing, quote, visibility=PUBLIC)
    before = Annotation.objects.count()
    reimport(ONE, "Entirely new text.")
    reimport("Nothing left of the old article.")
    assert Annotation.objects.count() == before == 11
    assert Annotation.objects.orphaned().count() == 10
    assert Annotation.objects.get(comment="whole").anchor_status == "anchored"


def test_orphaned_notes_show_in_the_orphans_section_to_those_who_may_see_them(client, reimport, alice, bob, changing):
    private = note_on_quote(alice, changing, "will be edited", comment="alice's orphan")
    public = note_on_quote(bob, changing, "will be removed", comment="bob's orphan", visibility=PUBLIC)
    kept = note_on_quote(alice, changing, "stays exactly", visibility=PUBLIC)
    reimport(ONE, "The second paragraph, rewritten.", FOUR, FIVE)

    client.force_login(alice)
    page = reading_page(client, changing)
    orphans = parse(page).one("section", class_="orphaned-notes")
    assert sorted(note_cards(orphans)) == sorted([str(private.pk), str(public.pk)])
    assert "will be edited" in orphans.html
    assert "note-orphaned" in orphans.html
    assert marked_ids(page) == {str(kept.pk)}

    client.force_login(bob)
    page = reading_page(client, changing)
    assert note_cards(parse(page).one("section", class_="orphaned-notes")) == [str(public.pk)]
    assert "alice's orphan" not in page

    client.logout()
    assert str(public.pk) in note_cards(reading_page(client, changing))


def test_an_orphaned_note_links_to_its_card_rather_than_a_paragraph(reimport, alice, changing):
    note = note_on_quote(alice, changing, "will be removed")
    reimport(ONE, TWO, FOUR, FIVE)
    assert fresh(note).get_absolute_url() == f"/articles/changing/#note-{note.pk}"


@pytest.mark.parametrize(
    ("new_text", "now_reads"),
    [
        pytest.param(
            (ONE, TWO.replace("second", "2nd"), THREE, FOUR, FIVE),
            f"{ONE[4:]}\n\n{TWO.replace('second', '2nd')}\n\nThe third",
            id="middle-paragraph-edited",
        ),
        pytest.param((ONE, TWO, "An inserted paragraph.", THREE, FOUR, FIVE), None, id="paragraph-inserted-inside"),
        pytest.param((THREE, TWO, ONE, FOUR, FIVE), None, id="ends-swapped"),
    ],
)
def test_a_note_across_paragraphs_is_re_found_as_a_whole_passage_or_not_placed(
    reimport, alice, changing, new_text, now_reads
):
    one, three = paragraph_with(changing, ONE), paragraph_with(changing, THREE)
    note = note_on_range(alice, changing, one.key, 4, three.key, 9)
    reimport(*new_text)
    if now_reads is None:
        assert fresh(note).anchor_status != "anchored"
    else:
        assert (fresh(note).anchor_status, marked_text(note)) == ("anchored", now_reads)
