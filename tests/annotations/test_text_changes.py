"""A curator corrects the text, in the admin or by importing again: every note follows its words.

The two failures this guards against: an admin edit left notes at their old offsets (a word
changed inside a highlight, words added before one, and the marks slid onto other words), and
a re-import orphaned every note on a changed paragraph even where its quote was still there.
"""

from pathlib import Path

import pytest

from annotations.models import AnchorMove, Annotation, Notification
from reader.importing import import_text
from reader.models import Paragraph, Revision
from tests.annotations.factories import PUBLIC, marks, note_on_quote, reading_page, text_of
from tests.conftest import SEED_ARTICLE
from tests.reader.test_admin import form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/reader/article/"


def fresh(note):
    return Annotation.objects.get(pk=note.pk)


def marked_words(note):
    """The words the note marks now, read from the stored text at its stored place."""
    note = fresh(note)
    return text_of(note.article).by_position(note.start_key, note.start_offset, note.end_key, note.end_offset).exact


def shown_marks(client, article, note):
    """The text of each <mark> carrying the note on the reading page."""
    return [text for ids, text in marks(reading_page(client, article)) if str(note.pk) in ids]


def edit_in_admin(client, article, old, new):
    """Replace `old` with `new` in the one paragraph holding it, through the article's admin form."""
    url = f"{CHANGELIST}{article.pk}/change/"
    data = form_data(client.get(url).content.decode(), "article_form")
    position = Paragraph.objects.get(article=article, source__contains=old).position
    field = f"paragraphs-{position}-source"
    assert old in data[field][0]
    data[field] = [data[field][0].replace(old, new, 1)]
    data["_save"] = ["Save"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def test_an_admin_edit_inside_a_highlight_moves_the_note_onto_the_corrected_words(
    curator_client, curator, article, alice
):
    note = note_on_quote(alice, article, "frequent abrupt policy changes", visibility=PUBLIC)
    edit_in_admin(curator_client, article, "frequent abrupt policy", "frequent sudden policy")

    after = fresh(note)
    assert after.anchor_status == "anchored"
    assert marked_words(note) == "frequent sudden policy changes"
    assert after.quote_exact == "frequent abrupt policy changes"  # the words it was written about
    move = AnchorMove.objects.get(annotation=note)
    assert (move.method, move.status, move.revision) == ("fuzzy", "anchored", 2)
    assert (move.source["text"], move.target["text"]) == ("frequent abrupt policy changes", marked_words(note))
    assert 0.8 <= move.score < 1
    told = Notification.objects.get(recipient=alice, annotation=note)
    assert (told.kind, told.actor) == ("moved", curator)
    assert shown_marks(curator_client, article, note) == ["frequent sudden policy changes"]


def test_an_admin_edit_before_a_highlight_keeps_the_mark_on_its_words(curator_client, article, alice):
    note = note_on_quote(alice, article, "Military-First policy", visibility=PUBLIC)
    edit_in_admin(curator_client, article, "If then,", "If so, then,")

    after = fresh(note)
    assert (after.anchor_status, marked_words(note)) == ("anchored", "Military-First policy")
    assert after.start_offset == note.start_offset + len(" so,")
    assert AnchorMove.objects.get(annotation=note).method == "exact"
    assert not Notification.objects.filter(annotation=note).exists()  # the same words: nothing to check
    assert shown_marks(curator_client, article, note) == ["Military-First policy"]


def test_an_admin_edit_is_a_revision_with_its_curator_and_the_text_as_it_now_is(curator_client, curator, article):
    edit_in_admin(curator_client, article, "If then,", "If so, then,")
    article.refresh_from_db()
    revision = Revision.objects.get(article=article, number=2)
    assert (article.revision, revision.author, revision.message) == (2, curator, "Edited in the admin")
    assert revision.paragraphs == [[p.key, p.source] for p in article.paragraphs.order_by("position")]
    assert Revision.objects.get(article=article, number=1).paragraphs != revision.paragraphs


def test_saving_the_admin_form_unchanged_makes_no_revision_and_moves_nothing(curator_client, article, alice):
    note = note_on_quote(alice, article, "Military-First policy")
    url = f"{CHANGELIST}{article.pk}/change/"
    data = form_data(curator_client.get(url).content.decode(), "article_form")
    data["_save"] = ["Save"]
    assert curator_client.post(url, data).status_code == 302
    assert Revision.objects.filter(article=article).count() == 1
    assert not AnchorMove.objects.filter(annotation=note).exists()


def test_an_edit_on_the_paragraphs_own_admin_page_goes_through_the_same_engine(curator_client, article, alice):
    note = note_on_quote(alice, article, "Military-First policy")
    paragraph = Paragraph.objects.get(article=article, source__contains="If then,")
    url = f"/admin/reader/paragraph/{paragraph.pk}/change/"
    data = form_data(curator_client.get(url).content.decode(), "paragraph_form")
    data["source"] = [data["source"][0].replace("If then,", "Why, then,")]
    data["_save"] = ["Save"]
    assert curator_client.post(url, data).status_code == 302
    assert (fresh(note).anchor_status, marked_words(note)) == ("anchored", "Military-First policy")
    assert Revision.objects.get(article=article, number=2).message == "Paragraph edited in the admin"


def test_deleting_a_paragraph_in_the_admin_orphans_its_notes_and_keeps_them(curator_client, article, alice):
    note = note_on_quote(alice, article, "Military-First policy", comment="kept")
    paragraph = Paragraph.objects.get(article=article, source__contains="If then,")
    response = curator_client.post(f"/admin/reader/paragraph/{paragraph.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    after = fresh(note)
    assert (after.anchor_status, after.comment, after.quote_exact) == ("orphaned", "kept", "Military-First policy")
    assert Notification.objects.get(annotation=note).kind == "orphaned"


# Importing again ------------------------------------------------------------------------------


@pytest.fixture
def seed_markdown():
    return Path(SEED_ARTICLE).read_text()


def test_a_reimport_keeps_notes_whose_quotes_survive_attached(article, seed_markdown, alice, bob):
    policy = note_on_quote(alice, article, "Military-First policy")
    speculation = note_on_quote(bob, article, "The general speculation is that", visibility=PUBLIC)
    edited = seed_markdown.replace("If then,", "If so, then,").replace("stuck to a stalemate", "stuck in a stalemate")
    import_text(edited, slug=article.slug)

    for note, words in ((policy, "Military-First policy"), (speculation, "The general speculation is that")):
        after = fresh(note)
        assert (after.anchor_status, marked_words(note)) == ("anchored", words)
        assert after.start_key != note.start_key  # its paragraph changed, so it is a new one
        assert AnchorMove.objects.get(annotation=note).method == "exact"
    assert Annotation.objects.filter(pk__in=[policy.pk, speculation.pk]).count() == 2


def test_a_reimport_moves_notes_on_unchanged_quotes_without_troubling_their_authors(article, seed_markdown, alice):
    note = note_on_quote(alice, article, "The general speculation is that")
    edited = seed_markdown.replace(
        "The general speculation is that", "As many have noted, The general speculation is that"
    )
    import_text(edited, slug=article.slug)
    after = fresh(note)
    assert (after.anchor_status, marked_words(note)) == ("anchored", "The general speculation is that")
    assert after.start_key != note.start_key  # a new paragraph (its text changed), the same words
    assert AnchorMove.objects.get(annotation=note).method == "exact"
    assert not Notification.objects.filter(annotation=note).exists()
