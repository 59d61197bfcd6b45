"""Markdown made to be slow: the shapes that cost Python-Markdown (or our checks) the square of their length.

Shared by the regression tests (tests/annotations/test_hostile_comments.py), the property
tests and the benchmark (tests/benchmarks/test_markdown_benchmark.py), so all three try the
same shapes. Each shape is a short unit repeated to a length; some open with a head (an HTML
block, a table) that puts the unit where a different part of the parser reads it.
"""

from hypothesis import strategies as st

# name: (head, unit). The first three are the ones issue 8 reports; the rest were found since.
SHAPES = {
    "unclosed [": ("", "["),
    "[]( repeated": ("", "[]("),
    "<a repeated": ("", "<a "),
    "unclosed ![": ("", "!["),
    "[x]( repeated": ("", "[x]("),
    "escaped backticks": ("", "\\```x"),
    "<a in an HTML block": ("<div>\n", "<a "),
    "<!-- in an HTML block": ("<div>\n", "<!--"),
    "<b> then comments": ("", "<b><!---->"),
    "setext headings": ("", "a\n=\n"),
    "hash headings": ("", "# a\n"),
    "rules": ("", "* * *\n"),
    "one-column table and definitions": ("", "|\n[a]: b|\n"),
    "unclosed fences": ("", "```a\n"),
    "nested list markers": ("", "+ "),
    "nested quotes": ("", "> "),
    "emphasis": ("", "*_"),
    "entities": ("", "&#"),
}
ISSUE_SHAPES = ["unclosed [", "[]( repeated", "<a repeated"]


def hostile(name, length):
    """The shape `name`, `length` characters long."""
    head, unit = SHAPES[name]
    return (head + unit * (length // len(unit) + 1))[:length]


# Pieces of Markdown that make parsers work: openers that never close, nesting, runs.
PIECES = [
    "[", "]", "(", ")", "![", "[](", "](", "[x]:", "<", ">", "<a ", "<b>", "</b>", "<div>", "<!--", "-->",
    "<?", "<![", "*", "**", "_", "__", "`", "```", "~~~", "\\", "> ", "- ", "+ ", "1. ", "# ", "---", "|",
    "&", "&#", "&#x", "&amp", ";", "'", '"', "=", " ", "    ", "\n", "\n\n", "x", "javascript:", "@bob",
]  # fmt: skip


@st.composite
def hostile_markdown(draw, max_length=3_000):
    """Runs of the pieces above, nested and repeated, up to `max_length` characters."""
    runs = draw(st.lists(st.tuples(st.sampled_from(PIECES), st.integers(1, 400)), min_size=1, max_size=12))
    return "".join(piece * count for piece, count in runs)[:max_length]
