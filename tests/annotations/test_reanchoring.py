"""The re-anchoring engine, step by step and edit by edit: where a note goes when the text changes.

Most tests run the engine on plain paragraphs (no database); the last ones go through `revise`
and a re-import, as the app does.
"""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from annotations.anchoring import ArticleText
from annotations.models import Annotation
from annotations.reanchoring import ANCHORED, ORPHANED, SUGGESTED, UNCHANGED, Engine, preview, summarise
from reader.rendering import render_block
from reader.revising import Entry, revert, revise
from tests.annotations.factories import import_markdown, note_on_quote, prose

ABRUPT = (
    "Basically, things in North Korea are always kind of mysteries, because of unpredictability "
    "and frequent abrupt policy changes. In this, the same goes the story."
)
IF_THEN = (
    "If then, what was the real intention of North Korea's missiles. Some one refers to internal factor. "
    "On the other hand, the regime need to re-emphasied the priority of its Military-First policy."
)
HARBOUR = (
    "At low tide the old harbour smelled of weed, tar and rope. The fishermen mended nets on the quay. "
    "At high tide the old harbour smelled of nothing much at all."
)


@dataclass
class Paragraph:
    key: str
    text: str
    position: int = 0


def article(*texts, keys=None):
    keys = keys or [f"p{n}" for n in range(len(texts))]
    return [Paragraph(key, text, n) for n, (key, text) in enumerate(zip(keys, texts, strict=True))]


def note(paragraphs, quote, occurrence=0, paragraph=0):
    """A placed note on the `occurrence`-th `quote` in `paragraph` (a quote may run into the next paragraph)."""
    text = ArticleText(paragraphs)
    start = text.starts[paragraph] - 1
    for _ in range(occurrence + 1):
        start = text.text.index(quote, start + 1)
    passage = text.passage(start, start + len(quote))
    fields = passage.as_fields()
    del fields["start_paragraph"], fields["end_paragraph"]
    return SimpleNamespace(anchor_status=ANCHORED, anchor_candidates=[], **fields)


def reanchor(before, after, placed):
    return Engine(before, after).run([placed])[0]


def marked(outcome):
    return outcome.passage.exact


# The steps ------------------------------------------------------------------------------------


def test_a_note_on_a_paragraph_whose_text_is_unchanged_is_unchanged():
    before = article(ABRUPT, IF_THEN)
    after = article("A new first paragraph.", ABRUPT, IF_THEN, keys=["new", "p0", "p1"])
    outcome = reanchor(before, after, note(before, "frequent abrupt policy changes"))
    assert (outcome.status, outcome.method) == (UNCHANGED, "position")


def test_a_word_inserted_before_a_quote_moves_it_exactly():
    before = article(IF_THEN)
    after = article(IF_THEN.replace("If then", "If so, then"))
    outcome = reanchor(before, after, note(before, "ts Military-First pol"))
    assert (outcome.status, outcome.method, outcome.score) == (ANCHORED, "exact", 1.0)
    assert marked(outcome) == "ts Military-First pol"
    assert outcome.passage.start_offset == note(before, "ts Military-First pol").start_offset + len("so, ")


def test_a_word_changed_inside_a_quote_moves_it_fuzzily_onto_the_corrected_words():
    before = article(ABRUPT)
    after = article(ABRUPT.replace("abrupt", "sudden"))
    outcome = reanchor(before, after, note(before, "frequent abrupt policy changes"))
    assert (outcome.status, outcome.method) == (ANCHORED, "fuzzy")
    assert marked(outcome) == "frequent sudden policy changes"
    assert 0.8 <= outcome.score < 1


def test_a_typo_fixed_inside_a_quote_moves_it_with_the_fixed_word():
    before = article(IF_THEN)
    after = article(IF_THEN.replace("re-emphasied", "re-emphasise"))
    outcome = reanchor(before, after, note(before, "the regime need to re-emphasied the priority"))
    assert outcome.status == ANCHORED
    assert marked(outcome) == "the regime need to re-emphasise the priority"


def test_an_edit_of_a_short_quotes_last_word_suggests_it_rather_than_guess():
    before = article(ABRUPT)
    after = article(ABRUPT.replace("policy changes", "policy chnages"))
    outcome = reanchor(before, after, note(before, "policy changes"))
    assert outcome.status == SUGGESTED
    assert outcome.passage is None
    assert next(passage.exact for passage, _ in outcome.candidates) == "policy chnages"


def test_a_quote_rewritten_beyond_recognition_is_orphaned():
    before = article(ABRUPT)
    after = article(ABRUPT.replace("frequent abrupt policy changes", "a capricious leadership"))
    outcome = reanchor(before, after, note(before, "frequent abrupt policy changes"))
    assert outcome.status == ORPHANED


def test_a_white_space_change_inside_a_quote_moves_it_exactly():
    before = article(ABRUPT)
    after = article(ABRUPT.replace("and frequent abrupt policy", "and  frequent abrupt\npolicy"))
    outcome = reanchor(before, after, note(before, "frequent abrupt policy changes"))
    assert (outcome.status, outcome.method) == (ANCHORED, "exact")
    assert marked(outcome) == "frequent abrupt\npolicy changes"


def test_a_sentence_rewritten_around_a_quote_keeps_the_note_on_its_words():
    before = article(IF_THEN)
    rewritten = IF_THEN.replace("On the other hand, the regime need to", "Most readers agree that it had to")
    after = article(rewritten.replace("of its Military-First policy", "of the army, or so it seemed"))
    outcome = reanchor(before, after, note(before, "re-emphasied the priority"))
    assert outcome.status == ANCHORED
    assert marked(outcome) == "re-emphasied the priority"


def test_a_deleted_sentence_orphans_its_note():
    before = article(IF_THEN)
    after = article(IF_THEN.replace("Some one refers to internal factor. ", ""))
    outcome = reanchor(before, after, note(before, "refers to internal factor"))
    assert (outcome.status, outcome.passage) == (ORPHANED, None)


def test_a_note_whose_words_went_is_not_moved_onto_the_same_words_elsewhere():
    before = article(HARBOUR, "Visitors liked the old harbour best at dusk.")
    after = article(HARBOUR.replace("At low tide the old harbour smelled of weed, tar and rope. ", ""), before[1].text)
    outcome = reanchor(before, after, note(before, "the old harbour"))
    assert outcome.status != ANCHORED


# Repeated phrases -----------------------------------------------------------------------------


def test_a_note_on_a_repeated_phrase_stays_on_its_own_occurrence():
    before = article(HARBOUR)
    second = note(before, "the old harbour", occurrence=1)
    after = article(HARBOUR.replace("The fishermen", "Every morning the fishermen"))
    outcome = reanchor(before, after, second)
    assert outcome.status == ANCHORED
    assert outcome.passage.start_offset == after[0].text.rindex("the old harbour")


def test_a_phrase_made_ambiguous_by_a_new_sentence_keeps_the_note_on_its_own_words():
    before = article(ABRUPT)
    after = article("Some readers underline frequent abrupt policy changes here as well. " + ABRUPT)
    outcome = reanchor(before, after, note(before, "frequent abrupt policy changes"))
    assert outcome.status == ANCHORED
    assert outcome.passage.start_offset == after[0].text.rindex("frequent abrupt policy changes")


def test_rewording_one_occurrence_does_not_move_its_note_onto_another():
    before = article(HARBOUR)
    first = note(before, "the old harbour")
    after = article(HARBOUR.replace("At low tide the old harbour", "At low tide the quay"))
    assert reanchor(before, after, first).status != ANCHORED
    assert reanchor(before, after, note(before, "the old harbour", occurrence=1)).status in (UNCHANGED, ANCHORED)


# Paragraphs split, merged, moved --------------------------------------------------------------


def test_a_note_across_a_split_stays_one_passage_over_both_halves():
    before = article(HARBOUR)
    first, second = HARBOUR.split(" The fishermen")
    after = article(first, "The fishermen" + second, keys=["p0", "new"])
    outcome = reanchor(before, after, note(before, "tar and rope. The fishermen mended"))
    assert outcome.status == ANCHORED
    passage = outcome.passage
    assert (passage.start.key, passage.end.key) == ("p0", "new")
    assert marked(outcome) == "tar and rope.\n\nThe fishermen mended"


def test_a_note_across_two_merged_paragraphs_stays_one_passage():
    before = article(ABRUPT, IF_THEN)
    after = article(ABRUPT + " " + IF_THEN)
    outcome = reanchor(before, after, note(before, "goes the story.\n\nIf then, what"))
    assert outcome.status == ANCHORED
    assert marked(outcome) == "goes the story. If then, what"
    assert outcome.passage.start.key == outcome.passage.end.key == "p0"


def test_a_note_on_a_paragraph_merged_into_the_one_before_follows_it():
    before = article(ABRUPT, IF_THEN)
    after = article(ABRUPT + " " + IF_THEN)
    outcome = reanchor(before, after, note(before, "Military-First policy", paragraph=1))
    assert (outcome.status, outcome.method) == (ANCHORED, "exact")
    assert (outcome.passage.start.key, marked(outcome)) == ("p0", "Military-First policy")


def test_a_note_on_a_paragraph_edited_under_a_new_key_follows_it():
    # A re-import gives an edited paragraph a new key: its notes are found in the paragraph
    # that took its place.
    before = article(ABRUPT, IF_THEN, HARBOUR)
    after = article(ABRUPT, IF_THEN.replace("If then", "If so, then"), HARBOUR, keys=["p0", "edited", "p2"])
    outcome = reanchor(before, after, note(before, "Military-First policy", paragraph=1))
    assert (outcome.status, outcome.passage.start.key, marked(outcome)) == (ANCHORED, "edited", "Military-First policy")


# Characters and alphabets ---------------------------------------------------------------------

CLUSTERS = "The bill read cafe\u0301 au lait 🇸🇪 and a scientist 👩\u200d🔬 signed it, in 潮は待たない ink."


@pytest.mark.parametrize(
    "edit",
    [
        ("read", "reads"),
        ("cafe\u0301", "cafe"),
        ("🇸🇪", "🇳🇴"),
        ("👩\u200d🔬", "👩"),
        ("au lait", "au  lait"),
        ("The bill", "The long bill"),
    ],
)
@pytest.mark.parametrize("quote", ["cafe\u0301 au lait 🇸🇪", "🇸🇪 and a scientist 👩\u200d🔬", "bill read cafe\u0301"])
def test_a_note_on_a_grapheme_cluster_is_never_split(quote, edit):
    before = article(CLUSTERS)
    after = article(CLUSTERS.replace(*edit))
    outcome = reanchor(before, after, note(before, quote))
    text = ArticleText(after)
    passages = [outcome.passage] if outcome.passage else [passage for passage, _ in outcome.candidates]
    for passage in passages:
        for paragraph, offset in ((passage.start, passage.start_offset), (passage.end, passage.end_offset)):
            assert text.cluster_around(paragraph, offset) is None, (passage.exact, offset)


def test_a_quote_of_more_than_255_kinds_of_character_does_not_break_the_engine():
    many = "".join(chr(0x4E00 + n) for n in range(300))
    before = article(f"Before {many} after.")
    after = article(f"Before {many[:150]}x{many[151:]} after.")
    outcome = reanchor(before, after, note(before, many))
    assert outcome.status in (ANCHORED, SUGGESTED, ORPHANED)
    assert outcome.passage is None or outcome.passage.exact.startswith(many[:150])


def test_an_article_of_more_than_255_kinds_of_character_is_searched_too():
    many = " ".join(chr(0x4E00 + n) for n in range(300))
    before = article(f"Before the old harbour smelled of weed. {many}")
    after = article(f"Before the old harbuor smelled of weed. {many}", keys=["edited"])
    outcome = reanchor(before, after, note(before, "the old harbour smelled of weed"))
    assert outcome.status in (ANCHORED, SUGGESTED)


def test_a_quote_using_every_symbol_the_matcher_has_left_does_not_break_the_engine():
    """A new text of exactly 255 kinds of character, and a quote of all of them and one more."""
    kinds = "".join(chr(0x4E00 + n) for n in range(255))
    before = article(kinds + "Z")
    after = article(kinds, keys=["edited"])
    outcome = reanchor(before, after, note(before, kinds + "Z"))
    assert outcome.status in (ANCHORED, SUGGESTED, ORPHANED)
    assert outcome.passage is None or outcome.passage.exact == kinds


# Through the app's own paths -------------------------------------------------------------------


def entries(article_row, change):
    """The article's paragraphs as entries, with `change(text)` applied to each source."""
    return [Entry(p.key, render_block(change(p.source))) for p in article_row.paragraphs.order_by("position")]


@pytest.mark.django_db
def test_revise_moves_notes_on_an_edited_paragraph_and_keeps_them_all(article, alice, bob):
    moved = note_on_quote(alice, article, "frequent abrupt policy changes")
    shifted = note_on_quote(bob, article, "ts Military-First pol")
    gone = note_on_quote(alice, article, "Some one refers to internal factor")
    count = Annotation.objects.count()

    def change(source):
        return (
            source.replace("abrupt", "sudden")
            .replace("If then", "If so, then")
            .replace(" Some one refers to internal factor.", "")
        )

    revise(article, entries(article, change), message="Corrections")
    assert Annotation.objects.count() == count
    moved, shifted, gone = (Annotation.objects.get(pk=n.pk) for n in (moved, shifted, gone))
    text = ArticleText(article.paragraphs.all())
    words = text.by_position(moved.start_key, moved.start_offset, moved.end_key, moved.end_offset).exact
    assert (moved.anchor_status, words, moved.quote_exact) == (
        ANCHORED,
        "frequent sudden policy changes",
        "frequent abrupt policy changes",
    )
    words = text.by_position(shifted.start_key, shifted.start_offset, shifted.end_key, shifted.end_offset).exact
    assert (shifted.anchor_status, words) == (ANCHORED, "ts Military-First pol")
    assert gone.anchor_status == ORPHANED
    assert (gone.start_key, gone.quote_exact) == (gone.start_key, "Some one refers to internal factor")
    assert list(gone.moves.values_list("method", "status")) == [("none", ORPHANED)]


@pytest.mark.django_db
def test_revise_that_removes_every_paragraph_but_one_deletes_no_note(article, alice):
    notes = [
        note_on_quote(alice, article, quote) for quote in ("Military-First policy", "abrupt", "general speculation")
    ]
    first = article.paragraphs.order_by("position").first()
    revise(article, [Entry(first.key, render_block(first.source))])
    assert Annotation.objects.filter(pk__in=[n.pk for n in notes]).count() == 3
    assert set(Annotation.objects.values_list("anchor_status", flat=True)) == {ORPHANED}
    assert not Annotation.objects.filter(start_key="").exists()


@pytest.mark.django_db
def test_a_reimport_keeps_notes_whose_quotes_survive_in_a_changed_paragraph(write_markdown, alice):
    body = "Title: Changing\n\n" + IF_THEN + "\n\n" + ABRUPT + "\n"
    changing = import_markdown(write_markdown, body, slug="changing")
    kept = note_on_quote(alice, changing, "Military-First policy")
    import_markdown(write_markdown, body.replace("Some one refers", "Someone refers"), slug="changing")
    kept = Annotation.objects.get(pk=kept.pk)
    assert kept.anchor_status == ANCHORED
    assert kept.start_key != note_on_quote(alice, changing, "abrupt").start_key
    text = ArticleText(changing.paragraphs.all())
    assert (
        text.by_position(kept.start_key, kept.start_offset, kept.end_key, kept.end_offset).exact
        == "Military-First policy"
    )


@pytest.mark.django_db
def test_preview_says_what_a_change_would_do_and_writes_nothing(article, alice):
    note_on_quote(alice, article, "frequent abrupt policy changes")
    note_on_quote(alice, article, "Some one refers to internal factor")
    note_on_quote(alice, article, "Military-First policy")
    after = []
    for paragraph in article.paragraphs.order_by("position"):
        block = render_block(
            paragraph.source.replace("abrupt", "sudden").replace("Some one refers to internal factor.", "")
        )
        after.append(Paragraph(paragraph.key, block.text, paragraph.position))
    assert preview(article, after) == {"unchanged": 0, "moved": 2, "suggested": 0, "orphaned": 1}
    assert set(Annotation.objects.values_list("anchor_status", flat=True)) == {ANCHORED}


def test_summarise_counts_each_outcome():
    placed = SimpleNamespace(anchor_status=ANCHORED)
    outcomes = [
        SimpleNamespace(status=status, note=placed) for status in (UNCHANGED, ANCHORED, ANCHORED, SUGGESTED, ORPHANED)
    ]
    assert summarise(outcomes) == {"unchanged": 1, "moved": 2, "suggested": 1, "orphaned": 1}


def test_summarise_counts_a_note_this_change_leaves_orphaned_or_suggested_as_left_as_it_was():
    outcomes = [
        SimpleNamespace(status=ORPHANED, note=SimpleNamespace(anchor_status=ORPHANED)),
        SimpleNamespace(status=SUGGESTED, note=SimpleNamespace(anchor_status=SUGGESTED)),
        SimpleNamespace(status=ANCHORED, note=SimpleNamespace(anchor_status=ORPHANED)),  # found again
    ]
    assert summarise(outcomes) == {"unchanged": 2, "moved": 1, "suggested": 0, "orphaned": 0}


@pytest.mark.django_db
def test_a_suggested_note_stays_suggested_through_an_edit_of_other_paragraphs(article, alice):
    note = note_on_quote(alice, article, "frequent abrupt policy changes")
    revise(article, entries(article, lambda source: source.replace("policy changes", "policy shifts")))
    suggested = Annotation.objects.get(pk=note.pk)
    assert suggested.anchor_status == SUGGESTED
    revise(article, entries(article, lambda source: source.replace("If then", "If so, then")))
    after = Annotation.objects.get(pk=note.pk)
    assert (after.anchor_status, after.anchor_candidates) == (SUGGESTED, suggested.anchor_candidates)
    assert after.moves.count() == 1  # the second edit concerned it in no way: nothing recorded


@pytest.mark.django_db
def test_an_orphan_is_placed_again_when_a_revert_brings_its_words_back(article, alice):
    note = note_on_quote(alice, article, "Some one refers to internal factor")
    revise(article, entries(article, lambda source: source.replace(" Some one refers to internal factor.", "")))
    assert Annotation.objects.get(pk=note.pk).anchor_status == ORPHANED
    revert(article, 1)
    after = Annotation.objects.get(pk=note.pk)
    text = ArticleText(article.paragraphs.all())
    words = text.by_position(after.start_key, after.start_offset, after.end_key, after.end_offset).exact
    assert (after.anchor_status, words) == (ANCHORED, "Some one refers to internal factor")


@pytest.mark.django_db
def test_the_running_text_is_read_once_a_revision_and_afresh_after_a_change(article, django_assert_num_queries):
    from reader.models import Article

    read = Article.objects.get(pk=article.pk)
    with django_assert_num_queries(1):
        before = ArticleText.of(read)
    with django_assert_num_queries(0):
        again = ArticleText.of(read)
    assert again.text == before.text
    assert again.paragraphs[0] is before.paragraphs[0]  # kept, not read again
    assert again is not before  # each call has its own lookups
    revise(article, entries(article, lambda source: source.replace("policy changes", "policy shifts")))
    after = ArticleText.of(Article.objects.get(pk=article.pk))
    assert "policy changes" in before.text
    assert "policy shifts" in after.text
    assert "policy changes" not in after.text
    assert after.text == ArticleText(article.paragraphs.all()).text


@pytest.mark.django_db
def test_a_revision_number_used_again_after_a_restore_reads_its_own_text(article):
    """A restore winds the revision back; the next change reuses the number with other words (and a new `modified`)."""
    from django.utils import timezone

    from reader.models import Article

    kept = ArticleText.of(Article.objects.get(pk=article.pk))
    paragraph = prose(article)[0]
    type(paragraph).objects.filter(pk=paragraph.pk).update(text="Words written after the restore.")
    Article.objects.filter(pk=article.pk).update(modified=timezone.now())
    assert "Words written after the restore." not in kept.text
    assert "Words written after the restore." in ArticleText.of(Article.objects.get(pk=article.pk)).text
