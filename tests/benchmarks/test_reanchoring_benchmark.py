"""How well notes follow a change of text: the edit corpus, and the time to re-anchor 1,000 notes.

Prints its figures (run with `make bench`). Asserts the corpus's targets — no note lost, none
placed on words it does not belong on, ≥ 95% placed right where their words survive, ≥ 80%
placed right or suggested after a one-word edit inside them — never a time.
"""

import random
import time
from collections import Counter

import pytest

from annotations.models import AnchorMove, Annotation
from reader.importing import import_text
from reader.rendering import render_block
from reader.revising import Entry, revise
from tests.annotations.factories import many_notes
from tests.benchmarks.reanchoring_corpus import LONG, SEED, edits, make_notes
from tests.benchmarks.reanchoring_scoring import Tally, load_doc, note_rows, run_edit

pytestmark = pytest.mark.django_db

PER_KIND = {"seed": 6, "long": 14}  # edits of each kind on each article: 14 kinds × 20 = 280 edits


def corpus(authors):
    """Both articles imported, with their notes; [(doc, article, note pks)]."""
    loaded = []
    for name, path in (("seed", SEED), ("long", LONG)):
        article = import_text(path.read_text(encoding="utf-8"), name=path.stem).article
        doc = load_doc(article, name)
        make_notes(doc)
        loaded.append((doc, article, [row.pk for row in note_rows(article, doc, authors)]))
    return loaded


def test_the_edit_corpus_places_no_note_wrong(alice, bob):
    loaded = corpus([alice, bob])
    docs = {doc.name: (doc, article, pks) for doc, article, pks in loaded}
    made = edits([doc for doc, _, _ in loaded], PER_KIND)
    tally = Tally()
    started = time.perf_counter()
    for edit in made:
        run_edit(edit, *docs[edit.doc], tally)
    elapsed = time.perf_counter() - started

    notes = sum(len(doc.notes) for doc, _, _ in loaded)
    paths = Counter(edit.path for edit in made)
    print(
        f"\nre-anchoring corpus: {len(made)} edits ({paths['revise']} through revise, {paths['reimport']} re-imports)"
    )
    print(f"on {notes} notes over {len(loaded)} articles, each edit from the original text, in {elapsed:.1f} s\n")
    print(tally.table())
    print("\nright: anchored exactly where the note belongs, or orphaned when its words are gone;")
    print("orphaned: orphaned although the note had a place; wrong: anchored anywhere else.")
    survives, one_word = tally.share(tally.survives, "right"), tally.share(tally.one_word, "kept")
    print(f"placed right where the quote survives unchanged: {survives:.1%} of {tally.survives['total']}")
    print(
        f"placed right or suggested after a one-word edit inside the quote: {one_word:.1%} of {tally.one_word['total']}"
    )
    for kind, result, detail in tally.wrong[:20]:
        print("  ", result, kind, detail)

    assert notes >= 500
    assert len(made) >= 200
    overall = tally.overall() + tally.rows["(notes elsewhere)"]
    assert overall["lost"] == 0
    assert overall["wrong"] == 0
    assert survives >= 0.95
    assert one_word >= 0.80


# Speed ----------------------------------------------------------------------------------------

PARAGRAPHS = 1_000
NOTES = 1_000
SUBJECTS = ["The keeper", "A ferryman", "The council", "An engineer", "The harbour master", "A visitor"]
VERBS = ["measured", "wrote down", "argued about", "forgot", "checked", "copied out"]
OBJECTS = ["the height of the water", "the time of the turn", "the price of salt", "a seal in the harbour"]


def long_markdown():
    rng = random.Random(1000)
    blocks = ["Title: A thousand paragraphs"]
    for n in range(PARAGRAPHS):
        if n % 50 == 0:
            blocks.append(f"## Part {n // 50}")
            continue
        sentences = [
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} on day {rng.randrange(10_000)}."
            for _ in range(rng.randrange(2, 6))
        ]
        blocks.append(" ".join(sentences))
    return "\n\n".join(blocks) + "\n"


def test_time_to_reanchor_a_thousand_notes_after_editing_a_tenth_of_the_paragraphs(alice, bob):
    article = import_text(long_markdown(), name="thousand").article
    notes = many_notes(article, [alice, bob], NOTES, seed=3)
    paragraphs = list(article.paragraphs.order_by("position"))
    edited = set(random.Random(7).sample(range(len(paragraphs)), len(paragraphs) // 10))
    entries = []
    for n, paragraph in enumerate(paragraphs):
        source = paragraph.source
        if n in edited:
            words = source.split(" ")
            words.insert(len(words) // 2, "carefully")
            source = " ".join(words)
        entries.append(Entry(paragraph.key, render_block(source)))

    started = time.perf_counter()
    revise(article, entries, message="A tenth of the paragraphs edited")
    elapsed = time.perf_counter() - started

    statuses = Counter(Annotation.objects.filter(article=article).values_list("anchor_status", flat=True))
    moves = AnchorMove.objects.filter(annotation__article=article).count()
    print(
        f"\nre-anchoring {len(notes):,} notes on {len(paragraphs):,} paragraphs after editing {len(edited)}: "
        f"{elapsed:.2f} s through revise, in its transaction, writes included (target ≤ 2 s)"
    )
    print(f"  {dict(statuses)}, {moves} moves recorded")
    assert sum(statuses.values()) == NOTES
    assert not Annotation.objects.filter(article=article, start_key="").exists()
