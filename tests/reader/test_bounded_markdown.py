"""reader.bounded_markdown renders what Python-Markdown renders, in linear time (see its docstring).

The property tests compare the two on text made of the pieces each bounded part reads; the
examples pin down the few places where they differ on purpose.
"""

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.tables import TableProcessor

from reader.bounded_blocks import MAX_NESTING
from reader.rendering import _markdown, unsanitized_html

PLAIN = markdown.Markdown(
    extensions=["tables", "fenced_code", "sane_lists"], extension_configs={"tables": {"use_align_attribute": True}}
)

PIECES = {
    "links": ["[", "]", "(", ")", "!", "x", " ", '"', "'", "\n", "<", ">", "\\", "]:", "[x]: y\n", "*"],
    "code spans": ["`", "``", "```", "\\", "\\`", "x", " ", "\n", "a`", "*", "[", "](x)"],
    "blocks": ["# a\n", "a\n", "=\n", "-\n", "---\n", "* * *\n", "> ", "- ", "1. ", "    ", "\n\n", "|", "[a]: b\n"],
    "tables": ["|", "\\|", "`", "``", "\\`", "-", ":", " ", "a", "\n", "|-|", "| a |", "\n\n", "# ", "[a]: b"],
    "fences": ["```", "~~~", "````", "\n", "a", " ", "{.x}", "{", "hl_lines=1", '"', "`", "x\n", "\n\n", "    "],
    "raw html": [
        "<a ", "<", "'", '"', "=", ">", "</a>", "<!---->", "\n", "<div", "<div>", "</div>", "x", " ", "/", "<b>",
        "</b>", "<!--", "-->", "<?", "?>", "<!", "&amp;", "&", "`", "\n\n",
    ],
    "mixed": [
        "[", "]", "(", ")", "*", "_", "`", "<b>", "</b>", "# ", "> ", "- ", "\n", "\n\n", "x", " ", "|", "---",
        "```", "'", '"', "<a ", ">", "&#", "\\",
    ],
}  # fmt: skip


def texts(pieces):
    return st.lists(st.sampled_from(pieces), max_size=30).map("".join)


@pytest.mark.parametrize("kind", PIECES)
def test_bounded_markdown_renders_what_python_markdown_renders(kind):
    @settings(max_examples=3 * settings.default.max_examples, deadline=None)
    @given(texts(PIECES[kind]))
    def renders_the_same(source):
        assert unsanitized_html(source) == PLAIN.reset().convert(source)

    renders_the_same()


ROW_PIECES = ["`", "``", "```", "\\", "\\`", "\\``", "|", "\\|", "a", " "]


@settings(max_examples=5 * settings.default.max_examples, deadline=None)
@given(st.lists(st.sampled_from(ROW_PIECES), max_size=25).map("".join))
def test_a_table_row_is_split_into_the_cells_the_tables_extension_finds(row):
    bounded = _markdown().parser.blockprocessors["table"]
    for border in (0, 1, 3):
        bounded.border = border
        assert bounded._split(row) == TableProcessor._split(bounded, row)


# Where they differ on purpose ----------------------------------------------------------------


def test_markers_nested_deeper_than_the_limit_stay_text():
    source = "> " * (MAX_NESTING + 2) + "deep"
    assert unsanitized_html(source).count("<blockquote>") == MAX_NESTING
    assert "&gt; &gt; deep" in unsanitized_html(source)


def test_a_tag_inside_a_start_tag_that_never_ends_is_text():
    source = "<a b='\n<div>\n*x*\n</div>\n' c='x"  # the quote after c= is never closed
    assert "<div>\n*x*\n</div>" in PLAIN.reset().convert(source)  # a raw HTML block
    assert "<div>\n<em>x</em>\n</div>" in unsanitized_html(source)


def test_an_hl_lines_value_that_runs_over_lines_does_not_open_a_fenced_block():
    source = '```hl_lines="1\n"\ncode\n```'
    assert "<pre>" in PLAIN.reset().convert(source)
    assert "<pre>" not in unsanitized_html(source)
