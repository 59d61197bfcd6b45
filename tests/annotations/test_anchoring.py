"""Finding a passage: by position (paragraph key + code-point offsets) and by quote."""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotations.anchoring import SEPARATOR, AnchoringError, ArticleText
from annotations.models import QUOTE_CONTEXT
from reader.models import Paragraph

ONE = "Early morning of July 5th, North Korea shot the missiles."
TWO = "Basically, things in North Korea are always kind of mysteries."
THREE = "평화 🕊️ and peace: café ends here."


def article_text(*texts):
    """Unsaved paragraphs are enough: ArticleText reads only position, key and text."""
    return ArticleText([Paragraph(position=n, key=f"p{n}", text=text) for n, text in enumerate(texts)])


@pytest.fixture
def text():
    return article_text(ONE, TWO, THREE)


def where(passage):
    return (passage.start.key, passage.start_offset, passage.end.key, passage.end_offset)


# By position ------------------------------------------------------------------------------


def test_a_passage_inside_one_paragraph_quotes_its_text(text):
    passage = text.by_position("p0", 6, "p0", 13)
    assert where(passage) == ("p0", 6, "p0", 13)
    assert passage.exact == "morning"
    assert passage.prefix == "Early "
    assert passage.suffix == ONE[13 : 13 + QUOTE_CONTEXT]


def test_a_passage_across_paragraphs_joins_them_with_a_blank_line(text):
    start = ONE.index("missiles")
    passage = text.by_position("p0", start, "p1", 9)
    assert passage.exact == "missiles." + SEPARATOR + "Basically"
    assert where(passage) == ("p0", start, "p1", 9)


def test_a_passage_across_three_paragraphs_keeps_the_middle_one_whole(text):
    passage = text.by_position("p0", 53, "p2", 2)
    assert passage.exact == "les." + SEPARATOR + TWO + SEPARATOR + "평화"


def test_offsets_count_code_points_so_an_emoji_counts_as_one(text):
    start = THREE.index("and")
    passage = text.by_position("p2", start, "p2", start + 3)
    assert passage.exact == "and"
    assert text.by_position("p2", 0, "p2", 2).exact == "평화"
    assert text.by_position("p2", 3, "p2", 5).exact == "🕊️"  # the dove and the variation selector after it


def test_a_whole_paragraph_runs_from_zero_to_its_length(text):
    assert text.by_position("p1", 0, "p1", len(TWO)).exact == TWO


def test_an_end_at_the_very_start_of_the_next_paragraph_ends_the_one_before(text):
    passage = text.by_position("p0", 6, "p1", 0)
    assert where(passage) == ("p0", 6, "p0", len(ONE))
    assert passage.exact == ONE[6:]


def test_a_start_at_the_very_end_of_a_paragraph_starts_the_next_one(text):
    passage = text.by_position("p0", len(ONE), "p1", 9)
    assert where(passage) == ("p1", 0, "p1", 9)
    assert passage.exact == "Basically"


def test_a_range_that_is_only_the_gap_between_paragraphs_is_refused(text):
    with pytest.raises(AnchoringError, match="white space"):
        text.by_position("p0", len(ONE), "p1", 0)


def test_a_matching_quote_is_accepted(text):
    assert text.by_position("p0", 6, "p0", 13, exact="morning").exact == "morning"


def test_the_quote_check_ignores_differences_in_white_space(text):
    passage = text.by_position("p0", ONE.index("missiles"), "p1", 9, exact="  missiles.\r\n Basically ")
    assert passage.exact == "missiles.\n\nBasically"


def test_a_quote_that_does_not_match_the_position_is_refused_with_both_texts(text):
    with pytest.raises(AnchoringError, match="does not match") as error:
        text.by_position("p0", 6, "p0", 13, exact="evening")
    assert "evening" in str(error.value)
    assert "morning" in str(error.value)


def test_an_unknown_paragraph_key_is_refused_by_name(text):
    with pytest.raises(AnchoringError, match="no paragraph with key 'nope'"):
        text.by_position("nope", 0, "p0", 3)
    with pytest.raises(AnchoringError, match="no paragraph with key"):
        text.by_position("p0", 0, None, 3)


@pytest.mark.parametrize("offset", ["3", 3.0, None, True, False, [3]])
def test_an_offset_that_is_not_a_whole_number_is_refused(text, offset):
    with pytest.raises(AnchoringError, match="must be a whole number"):
        text.by_position("p0", offset, "p0", 10)
    with pytest.raises(AnchoringError, match="must be a whole number"):
        text.by_position("p0", 0, "p0", offset)


def test_a_negative_offset_is_refused_with_the_paragraph_length(text):
    with pytest.raises(AnchoringError, match=r"start offset -1 is outside paragraph p0") as error:
        text.by_position("p0", -1, "p0", 3)
    assert f"has {len(ONE)} characters" in str(error.value)


def test_an_offset_past_the_end_of_the_paragraph_is_refused(text):
    with pytest.raises(AnchoringError, match=rf"end offset {len(ONE) + 1} is outside paragraph p0"):
        text.by_position("p0", 0, "p0", len(ONE) + 1)
    with pytest.raises(AnchoringError, match="outside paragraph"):
        text.by_position("p0", 0, "p0", 10**30)


def test_an_end_before_the_start_is_refused(text):
    with pytest.raises(AnchoringError, match="ends before it starts"):
        text.by_position("p0", 10, "p0", 5)
    with pytest.raises(AnchoringError, match="ends before it starts"):
        text.by_position("p1", 0, "p0", 5)


def test_an_empty_passage_is_refused(text):
    with pytest.raises(AnchoringError, match="empty"):
        text.by_position("p0", 5, "p0", 5)


def test_a_passage_of_only_white_space_is_refused(text):
    with pytest.raises(AnchoringError, match="only white space"):
        text.by_position("p0", 5, "p0", 6)


# By quote ---------------------------------------------------------------------------------


def test_a_unique_quote_is_found_where_it_is(text):
    passage = text.by_quote("kind of mysteries")
    assert where(passage) == ("p1", TWO.index("kind"), "p1", TWO.index("kind") + len("kind of mysteries"))


REPEATED = article_text("The cat sat. The cat ran.", "Then the cat slept.")


def test_a_repeated_quote_without_context_is_its_first_occurrence():
    assert where(REPEATED.by_quote("cat")) == ("p0", 4, "p0", 7)


def test_a_suffix_picks_among_repeated_quotes():
    assert where(REPEATED.by_quote("cat", suffix=" ran")) == ("p0", 17, "p0", 20)
    assert where(REPEATED.by_quote("cat", suffix=" slept")) == ("p1", 9, "p1", 12)


def test_a_prefix_picks_among_repeated_quotes():
    assert where(REPEATED.by_quote("cat", prefix="sat. The ")) == ("p0", 17, "p0", 20)
    assert where(REPEATED.by_quote("cat", prefix="Then the ")) == ("p1", 9, "p1", 12)


def test_near_picks_the_occurrence_closest_to_a_point():
    point = REPEATED.point(REPEATED.paragraph("p1"), 0)
    assert where(REPEATED.by_quote("cat", near=point)) == ("p1", 9, "p1", 12)
    assert where(REPEATED.by_quote("cat", near=0)) == ("p0", 4, "p0", 7)


def test_context_outweighs_nearness():
    assert where(REPEATED.by_quote("cat", suffix=" ran", near=10**6)) == ("p0", 17, "p0", 20)


def test_a_quote_is_found_across_paragraphs_whatever_its_white_space(text):
    passage = text.by_quote("the missiles. Basically,")
    assert where(passage) == ("p0", ONE.index("the missiles"), "p1", len("Basically,"))
    assert passage.exact == "the missiles.\n\nBasically,"


def test_a_quote_with_extra_white_space_inside_a_paragraph_is_found(text):
    assert text.by_quote("North \n  Korea shot").exact == "North Korea shot"


def test_a_quote_not_in_the_article_is_refused_with_the_quote(text):
    with pytest.raises(AnchoringError, match="“nuclear winter” is not in this article"):
        text.by_quote("nuclear winter")


@pytest.mark.parametrize("exact", ["", "   ", "\n\t", None, 42])
def test_an_empty_quote_is_refused(text, exact):
    with pytest.raises(AnchoringError, match="The quote is empty"):
        text.by_quote(exact)


def test_an_over_long_quote_is_refused(text):
    with pytest.raises(AnchoringError, match="longer than 50,000"):
        text.by_quote("x" * 50_001)


def test_prefix_and_suffix_hold_at_most_32_characters():
    long = "a" * 100 + "MIDDLE" + "z" * 100
    passage = article_text(long).by_quote("MIDDLE")
    assert passage.prefix == "a" * QUOTE_CONTEXT
    assert passage.suffix == "z" * QUOTE_CONTEXT


def test_prefix_and_suffix_stop_at_the_edges_of_the_article(text):
    assert text.by_position("p0", 0, "p0", 5).prefix == ""
    assert text.by_position("p2", len(THREE) - 5, "p2", len(THREE)).suffix == ""


def test_the_prefix_reaches_back_into_the_previous_paragraph(text):
    assert text.by_position("p1", 0, "p1", 9).prefix == ONE[-(QUOTE_CONTEXT - 2) :] + SEPARATOR


# Laws -------------------------------------------------------------------------------------

ALPHABET = st.sampled_from([*"abcXYZ ., ", "\n", "😀", "🎉", "평", "화", "한", "e\u0301", "\u0301", "ß", "\u00a0"])
PARAGRAPH_TEXT = st.lists(ALPHABET, min_size=1, max_size=40).map("".join)
LAWS = settings(
    max_examples=3 * settings.default.max_examples, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@st.composite
def article_and_range(draw):
    texts = draw(st.lists(PARAGRAPH_TEXT, min_size=1, max_size=5))
    text = article_text(*texts)
    i = draw(st.integers(0, len(texts) - 1))
    j = draw(st.integers(i, len(texts) - 1))
    start = draw(st.integers(0, len(texts[i])))
    end = draw(st.integers(0 if j > i else start, len(texts[j])))
    return text, (f"p{i}", start, f"p{j}", end)


@LAWS
@given(article_and_range())
def test_a_position_quotes_exactly_the_running_text_between_its_points(case):
    text, (start_key, start, end_key, end) = case
    start_point = text.point(text.paragraph(start_key), start)
    end_point = text.point(text.paragraph(end_key), end)
    assume(start < len(text.paragraph(start_key).text) and end > 0)  # no point to move into the text
    assume(not text.cluster_around(text.paragraph(start_key), start))  # whole characters only
    assume(not text.cluster_around(text.paragraph(end_key), end))
    assume(start_point < end_point and text.text[start_point:end_point].strip())
    passage = text.by_position(start_key, start, end_key, end)
    assert passage.exact == text.text[start_point:end_point]
    assert where(passage) == (start_key, start, end_key, end)
    assert passage.prefix == text.text[max(0, start_point - QUOTE_CONTEXT) : start_point]
    assert passage.suffix == text.text[end_point : end_point + QUOTE_CONTEXT]


@LAWS
@given(article_and_range())
def test_any_range_either_is_refused_or_round_trips_through_its_own_offsets(case):
    text, range_ = case
    try:
        passage = text.by_position(*range_)
    except AnchoringError as error:
        refusal = str(error)
    else:
        refusal = None
    if refusal:
        assert any(words in refusal for words in ("empty", "white space", "ends before", "falls inside the character"))
        return
    assert passage.exact.strip()
    assert len(passage.prefix) <= QUOTE_CONTEXT
    assert len(passage.suffix) <= QUOTE_CONTEXT
    again = text.by_position(*where(passage), exact=passage.exact)
    assert again == passage
    start, end = text.point(passage.start, passage.start_offset), text.point(passage.end, passage.end_offset)
    assert text.text[start:end] == passage.exact


def occurrences(haystack, needle):
    count, start = 0, haystack.find(needle)
    while start != -1:
        count, start = count + 1, haystack.find(needle, start + 1)
    return count


@LAWS
@given(article_and_range())
def test_a_quote_with_its_context_finds_the_same_passage_when_that_context_is_unique(case):
    text, range_ = case
    try:
        passage = text.by_position(*range_)
    except AnchoringError:
        return
    assume(occurrences(text.text, passage.prefix + passage.exact + passage.suffix) == 1)
    found = text.by_quote(passage.exact, passage.prefix, passage.suffix)
    assert where(found) == where(passage)
    assert found.exact == passage.exact
