"""A curator corrects the text, in the admin or by importing again: every note follows its words.

The two failures this guards against: an admin edit left notes at their old offsets (a word
changed inside a highlight, words added before one, and the marks slid onto other words), and
a re-import orphaned every note on a changed paragraph even where its quote was still there.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotations.models import AnchorMove, Annotation, Notification
from annotations.writing import NoteError, accept_suggestion, create_note, create_reply, delete_note, update_note
from reader.importing import import_text
from reader.models import Paragraph, Revision
from reader.rendering import render_block
from reader.revising import Entry, revert, revise
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


# A note read before the text changed ---------------------------------------------------------


def insert_before_policy(article):
    """Revise the article as the curator's editor does: words added before "Military-First policy"."""
    entries = [
        Entry(p.key, render_block(p.source.replace("If then,", "If so, then,")))
        for p in article.paragraphs.order_by("position")
    ]
    revise(article, entries, message="Words added")


def test_changing_a_note_read_before_an_edit_keeps_the_place_the_edit_gave_it(article, alice, bob):
    note = note_on_quote(alice, article, "Military-First policy")
    create_reply(bob, note, comment="A reply keeps the note when it is deleted.")
    stale = Annotation.objects.get(pk=note.pk)
    insert_before_policy(article)
    update_note(stale, comment="Edited after the text changed.")
    assert (marked_words(note), fresh(note).comment) == ("Military-First policy", "Edited after the text changed.")
    delete_note(stale)
    assert (fresh(note).deleted, marked_words(note)) == (True, "Military-First policy")


def test_a_passage_chosen_before_an_edit_is_refused_rather_than_placed_on_other_words(article, alice):
    passage = text_of(article).by_quote("Military-First policy")
    insert_before_policy(article)
    count = Annotation.objects.count()
    with pytest.raises(NoteError, match="select them again"):
        create_note(alice, article, passage)
    assert Annotation.objects.count() == count
    orphan = note_on_quote(alice, article, "Military-First policy")
    with pytest.raises(NoteError, match="select them again"):
        update_note(orphan, passage=passage)
    assert marked_words(orphan) == "Military-First policy"


def test_a_suggestion_accepted_after_a_later_edit_is_checked_against_the_text_as_it_is(article, alice):
    note = note_on_quote(alice, article, "frequent abrupt policy changes")
    entries = [
        Entry(p.key, render_block(p.source.replace("policy changes", "policy shifts")))
        for p in article.paragraphs.order_by("position")
    ]
    revise(article, entries)
    stale = Annotation.objects.get(pk=note.pk)
    assert stale.anchor_status == "suggested"
    paragraph = article.paragraphs.get(key=stale.start_key)
    entries = [
        Entry(p.key, render_block(("Newly: " + p.source) if p.pk == paragraph.pk else p.source))
        for p in article.paragraphs.order_by("position")
    ]
    revise(article, entries)  # the words move on; the engine has looked at the note again
    current = fresh(note)
    assert current.anchor_status == "suggested"
    assert current.anchor_candidates[0]["start_offset"] == stale.anchor_candidates[0]["start_offset"] + len("Newly: ")
    accept_suggestion(stale, 0)  # read before the edit: the place it takes is the one suggested now
    after = fresh(note)
    assert (after.anchor_status, after.start_offset) == ("anchored", current.anchor_candidates[0]["start_offset"])
    assert marked_words(note) == current.anchor_candidates[0]["text"]


# Sequences of changes --------------------------------------------------------------------------


def revise_sources(article, change):
    revise(article, [Entry(p.key, render_block(change(p.source))) for p in article.paragraphs.order_by("position")])


def test_a_paragraph_corrected_then_imported_as_it_was_keeps_its_notes_linked_and_marked(
    client, article, seed_markdown, alice
):
    note = note_on_quote(alice, article, "Military-First policy", visibility=PUBLIC)
    revise_sources(article, lambda source: source.replace("re-emphasied", "re-emphasise"))
    import_text(seed_markdown, slug=article.slug)  # the paragraph's original text, under its key again
    after = fresh(note)
    assert after.anchor_status == "anchored"
    assert after.start_paragraph_id == Paragraph.objects.get(article=article, key=after.start_key).pk
    assert shown_marks(client, article, note) == ["Military-First policy"]


def test_a_suggested_note_is_still_suggested_after_another_edit_of_its_paragraph(article, alice):
    note = note_on_quote(alice, article, "frequent abrupt policy changes")
    revise_sources(article, lambda source: source.replace("policy changes", "policy shifts"))
    assert fresh(note).anchor_status == "suggested"
    revise_sources(article, lambda source: source.replace("In this, the same", "In this, the very same"))
    after = fresh(note)
    assert after.anchor_status == "suggested"
    assert after.anchor_candidates[0]["text"] == "frequent abrupt policy shifts"
    assert not Notification.objects.filter(annotation=note, kind="orphaned").exists()


def test_an_old_orphan_whose_words_are_still_there_is_placed_again_by_reanchor_notes(article, alice):
    note = note_on_quote(alice, article, "Military-First policy")
    # As an older version left such notes: its paragraph's key gone, the note orphaned.
    Annotation.objects.filter(pk=note.pk).update(anchor_status="orphaned", start_key="p-gone", end_key="p-gone")
    revise_sources(article, lambda source: source.replace("abrupt", "sudden"))  # elsewhere: it stays as it is
    assert fresh(note).anchor_status == "orphaned"
    out = StringIO()
    call_command("reanchor_notes", "--dry-run", stdout=out)
    assert "1 placed again" in out.getvalue()
    assert fresh(note).anchor_status == "orphaned"
    call_command("reanchor_notes", stdout=StringIO())
    assert (fresh(note).anchor_status, marked_words(note)) == ("anchored", "Military-First policy")


def test_reanchor_notes_names_an_unknown_article():
    with pytest.raises(CommandError, match="no article 'nowhere'"):
        call_command("reanchor_notes", "--article", "nowhere")


def test_a_revert_that_places_a_note_again_clears_the_inbox_item_that_asked_its_author_to_look(curator, article, alice):
    note = note_on_quote(alice, article, "Some one refers to internal factor")
    revise(
        article,
        [
            Entry(p.key, render_block(p.source.replace(" Some one refers to internal factor.", "")))
            for p in article.paragraphs.order_by("position")
        ],
        author=curator,
    )
    assert Notification.objects.get(annotation=note).kind == "orphaned"
    revert(article, 1, author=curator)
    assert fresh(note).anchor_status == "anchored"
    assert not Notification.objects.filter(annotation=note).exists()
