"""Two texts compared: paragraphs aligned by key and text, changed ones word by word, in bounded work."""

import time
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from reader.diffing import (
    ADDED,
    CHANGED,
    DELETE,
    EQUAL,
    INSERT,
    REMOVED,
    SAME,
    Budget,
    Piece,
    compare,
    summary,
    word_diff,
)


@dataclass
class Para:
    key: str
    text: str
    source: str = ""

    def __post_init__(self):
        self.source = self.source or self.text


def text(*pairs):
    return [Para(key, words) for key, words in pairs]


def rows(comparison):
    """The rows, with each collapsed run of unchanged paragraphs spread out again."""
    found = []
    for section in comparison.sections:
        found += section.rows if section.kind == "unchanged" else [section]
    return found


def old_side(pieces):
    return "".join(piece.text for piece in pieces if piece.op != INSERT)


def new_side(pieces):
    return "".join(piece.text for piece in pieces if piece.op != DELETE)


def test_a_word_changed_inside_a_sentence_is_one_removal_and_one_addition():
    pieces = word_diff("frequent abrupt policy changes", "frequent sudden policy changes", Budget())
    assert pieces == [
        Piece(EQUAL, "frequent "),
        Piece(DELETE, "abrupt"),
        Piece(INSERT, "sudden"),
        Piece(EQUAL, " policy changes"),
    ]


def test_neighbouring_changed_words_read_as_one_change_not_word_by_word():
    pieces = word_diff("the abrupt policy shift", "the sudden rule shift", Budget())
    assert Piece(DELETE, "abrupt policy") in pieces
    assert Piece(INSERT, "sudden rule") in pieces


def test_words_added_before_a_phrase_are_an_addition_only():
    pieces = word_diff("If then its policy", "If so, then its policy", Budget())
    assert [piece for piece in pieces if piece.op != EQUAL] == [Piece(INSERT, " so,")]


@given(st.text(alphabet="ab c,.\n", max_size=40), st.text(alphabet="ab c,.\n", max_size=40))
def test_the_pieces_spell_both_texts(old, new):
    pieces = word_diff(old, new, Budget())
    assert (old_side(pieces), new_side(pieces)) == (old, new)


def test_a_pair_with_too_many_edits_is_given_up_and_shown_whole():
    old = " ".join(f"a{n}" for n in range(2000))
    new = " ".join(f"b{n}" for n in range(2000))
    assert word_diff(old, new, Budget()) is None
    comparison = compare(text(("p1", old)), text(("p1", new)))
    [row] = rows(comparison)
    assert (row.kind, row.whole, row.pieces) == (CHANGED, True, [])


def test_hostile_texts_cost_bounded_time():
    """Many long paragraphs, each rewritten: the budget runs out and the rest are shown whole, quickly."""
    old = text(*((f"p{n}", "x y " * 5_000) for n in range(40)))
    new = text(*((f"p{n}", "y x " * 5_000) for n in range(40)))
    started = time.process_time()  # CPU time: a busy machine stretches the wall clock, not this
    comparison = compare(old, new)
    assert time.process_time() - started < 5
    assert comparison.changed == 40


def test_a_spent_budget_gives_up_at_once():
    budget = Budget(steps=10)
    assert word_diff("one two three four five six", "six five four three two one", budget) is None


def test_paragraphs_are_aligned_by_key_and_unchanged_ones_collapse():
    old = text(("a", "One."), ("b", "Two."), ("c", "Three."), ("d", "Four."))
    new = text(("a", "One."), ("b", "Two!"), ("c", "Three."), ("d", "Four."))
    comparison = compare(old, new)
    kinds = [section.kind for section in comparison.sections]
    assert kinds == ["unchanged", CHANGED, "unchanged"]
    assert [len(comparison.sections[0].rows), len(comparison.sections[2].rows)] == [1, 2]
    assert (comparison.changed, comparison.added, comparison.removed, comparison.moved) == (1, 0, 0, 0)


def test_added_and_removed_paragraphs_stand_where_they_were():
    old = text(("a", "One."), ("b", "Two."), ("c", "Three."))
    new = text(("a", "One."), ("n", "New."), ("c", "Three."))
    found = [(row.kind, (row.new or row.old).key) for row in rows(compare(old, new))]
    assert found == [(SAME, "a"), (REMOVED, "b"), (ADDED, "n"), (SAME, "c")]


def test_a_paragraph_back_under_a_new_key_is_matched_by_its_text():
    old = text(("a", "One."), ("b", "Two."))
    new = text(("a", "One."), ("b2", "Two."))
    comparison = compare(old, new)
    assert comparison.identical
    assert [row.kind for row in rows(comparison)] == [SAME, SAME]


def test_a_moved_paragraph_is_marked_moved_and_the_others_stay():
    old = text(("a", "One."), ("b", "Two."), ("c", "Three."), ("d", "Four."))
    new = text(("b", "Two."), ("c", "Three."), ("d", "Four."), ("a", "One."))
    comparison = compare(old, new)
    moved = [row.new.key for row in rows(comparison) if row.moved]
    assert (moved, comparison.moved) == (["a"], 1)


def test_a_change_of_formatting_alone_is_changed_but_reads_the_same():
    old = [Para("a", "Some words.", "Some words.")]
    new = [Para("a", "Some words.", "Some *words*.")]
    [row] = rows(compare(old, new))
    assert (row.kind, row.formatting_only) == (CHANGED, True)


def test_the_comparison_is_plain_text_for_the_template_to_escape():
    pieces = word_diff("a <b>bold</b> claim", "a <script>x</script> claim", Budget())
    assert (old_side(pieces), new_side(pieces)) == ("a <b>bold</b> claim", "a <script>x</script> claim")
    assert Piece(INSERT, "script>x</script") in pieces  # the characters as written, never markup


def test_the_summary_counts_changes_between_two_stored_revisions():
    before = [["a", "One."], ["b", "Two."], ["c", "Three."], ["d", "Four."]]
    after = [["b", "Two, again."], ["c", "Three."], ["a", "One."], ["e", "Five."]]
    assert summary(before, after) == {"changed": 1, "added": 1, "removed": 1, "moved": 1}


def test_many_identical_paragraphs_align_in_linear_time():
    old = text(*((f"k{n}", "Same.") for n in range(20_000)))
    new = text(*((f"j{n}", "Same.") for n in range(20_000)))
    started = time.process_time()  # CPU time: a busy machine stretches the wall clock, not this
    assert compare(old, new).identical
    assert time.process_time() - started < 5
