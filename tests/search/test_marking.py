"""Marks: the text survives marking whole, escaped, with only our <mark> as markup; the parser is linear."""

import html
import re
import time

from hypothesis import given
from hypothesis import strategies as st

from search.marking import mark
from search.querying import MAX_LENGTH, QueryError, parse, tokens

TERMS = st.lists(st.lists(st.text(alphabet="abcé<&", min_size=1, max_size=4), min_size=1, max_size=3), max_size=3)


@given(st.text(max_size=200), TERMS)
def test_marking_keeps_the_text_and_adds_only_marks(text, terms):
    unmarked = re.sub(r"</?mark>", "", str(mark(text, terms)))
    assert "<" not in unmarked
    assert ">" not in unmarked
    assert html.unescape(unmarked) == text


@given(st.text(max_size=MAX_LENGTH))
def test_any_text_up_to_the_limit_parses_or_says_why(text):
    try:
        query = parse(text)
    except QueryError as error:
        message = str(error)
    else:
        message = "" if query.size <= 20 else "too many parts, and not refused"
    assert "not refused" not in message


def test_reading_a_query_is_linear_in_its_length():
    for hostile in ('"' * 100_000, "a:" * 50_000, 'tag:"' + "x" * 100_000, ": " * 50_000):
        started = time.process_time()  # CPU time: a busy machine stretches the wall clock, not this
        tokens(hostile)
        assert time.process_time() - started < 2  # quadratic work here would take minutes
