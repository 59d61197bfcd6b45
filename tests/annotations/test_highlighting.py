"""Server-side highlights: <mark> elements around ranges of a paragraph's text."""

import html
import uuid
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.highlighting import highlight, segments
from reader.rendering import render_block, text_content
from tests.annotations.factories import marked_ids, note_on_quote, reading_page
from tests.pages import parse


def marks(marked):
    """[(ids, text, is mine)] of every mark, in order."""
    return [
        (mark["data-annotations"].split(), mark.text, mark.get("class") == "mine")
        for mark in parse(marked).find_all("mark")
    ]


def without_marks(marked):
    """The HTML with every <mark> start and end tag cut out, and nothing else changed."""
    marks = parse(marked).find_all("mark")
    tags = sorted([(mark.start, mark.inner_start) for mark in marks] + [(mark.inner_end, mark.end) for mark in marks])
    kept, position = [], 0
    for start, end in tags:
        kept.append(marked[position:start])
        position = end
    return "".join(kept) + marked[position:]


class Coverage(HTMLParser):
    """For each character of the text: the ids of the mark around it (empty outside marks)."""

    def __init__(self, marked):
        super().__init__(convert_charrefs=True)
        self.stack, self.ids, self.covered, self.mine, self.nested = [], (), [], [], False
        self.feed(marked)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "mark":
            self.nested = self.nested or bool(self.ids)
            self.ids = tuple(attrs["data-annotations"].split())
            self.is_mine = attrs.get("class") == "mine"
        elif tag != "br":
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "mark":
            self.ids = ()
        else:
            assert not self.ids, f"</{tag}> closes an element inside a mark"
            self.stack.pop()

    def handle_data(self, data):
        for _ in data:
            self.covered.append(set(self.ids))
            self.mine.append(bool(self.ids) and self.is_mine)


# Examples ---------------------------------------------------------------------------------


def test_a_range_becomes_one_mark_around_exactly_its_text():
    marked = highlight("<p>Early morning of July</p>", [(6, 13, "a")])
    assert marked == '<p>Early <mark data-annotations="a">morning</mark> of July</p>'


def test_a_range_over_bold_text_is_split_at_the_element_boundary():
    marked = highlight("<p>one <strong>two</strong> three</p>", [(0, 11, "a")])
    assert marked == (
        '<p><mark data-annotations="a">one </mark><strong><mark data-annotations="a">two</mark></strong>'
        '<mark data-annotations="a"> thr</mark>ee</p>'
    )


def test_overlapping_ranges_mark_the_overlap_with_both_ids():
    marked = highlight("<p>abcdefghijklmnop</p>", [(0, 10, "a"), (5, 15, "b")])
    assert marks(marked) == [(["a"], "abcde", False), (["a", "b"], "fghij", False), (["b"], "klmno", False)]


def test_a_range_nested_inside_another_splits_the_outer_one():
    marked = highlight("<p>abcdefghij</p>", [(0, 10, "outer"), (3, 6, "inner")])
    assert marks(marked) == [
        (["outer"], "abc", False),
        (["outer", "inner"], "def", False),
        (["outer"], "ghij", False),
    ]


def test_identical_ranges_share_one_mark():
    assert marks(highlight("<p>abcdef</p>", [(1, 4, "a"), (1, 4, "b")])) == [(["a", "b"], "bcd", False)]


def test_adjacent_ranges_make_two_marks_with_no_shared_id():
    found = marks(highlight("<p>abcdefghij</p>", [(0, 4, "a"), (4, 8, "b")]))
    assert found == [(["a"], "abcd", False), (["b"], "efgh", False)]


def test_a_range_covering_an_entity_keeps_it_escaped():
    marked = highlight("<p>Tom &amp; Jerry &lt;3</p>", [(4, 5, "a"), (12, 14, "b")])
    assert '<mark data-annotations="a">&amp;</mark>' in marked
    assert '<mark data-annotations="b">&lt;3</mark>' in marked
    assert text_content(marked) == "Tom & Jerry <3"


def test_offsets_count_code_points_so_emoji_and_hangul_count_as_one():
    marked = highlight("<p>🕊️ 평화 peace</p>", [(3, 5, "a"), (6, 11, "b")])
    assert marks(marked) == [(["a"], "평화", False), (["b"], "peace", False)]


def test_the_viewers_own_marks_get_class_mine():
    marked = highlight("<p>abcdefghij</p>", [(0, 6, "a"), (4, 10, "b")], mine={"b"})
    assert marks(marked) == [(["a"], "abcd", False), (["a", "b"], "ef", True), (["b"], "ghij", True)]


def test_empty_and_inverted_ranges_are_ignored():
    source = "<p>abcdef</p>"
    assert highlight(source, [(3, 3, "a"), (5, 2, "b")]) == source
    assert marks(highlight(source, [(3, 3, "a"), (1, 2, "c")])) == [(["c"], "b", False)]


def test_no_ranges_leaves_the_html_untouched():
    source = '<p>a <a href="https://example.org/?x=1&amp;y=2" rel="noopener">link</a></p>'
    assert highlight(source, []) == source


def test_attributes_are_kept_as_they_were():
    source = '<p><a href="https://example.org/?x=1&amp;y=2" title="&quot;q&quot;">link</a></p>'
    marked = highlight(source, [(0, 4, "a")])
    assert '<a href="https://example.org/?x=1&amp;y=2" title="&quot;q&quot;">' in marked


def test_a_range_across_a_line_break_skips_the_br():
    marked = highlight("<p>ab<br>cd</p>", [(1, 3, "a")])
    assert marked == '<p>a<mark data-annotations="a">b</mark><br><mark data-annotations="a">c</mark>d</p>'


def test_uuid_ids_are_written_as_strings():
    ident = uuid.uuid4()
    assert f'data-annotations="{ident}"' in highlight("<p>abc</p>", [(0, 1, ident)])


def test_segments_cut_ranges_at_every_edge():
    pieces = segments([(0, 4, "a"), (2, 6, "b"), (6, 8, "c")])
    assert [(p.start, p.end, p.ids) for p in pieces] == [
        (0, 2, ("a",)),
        (2, 4, ("a", "b")),
        (4, 6, ("b",)),
        (6, 8, ("c",)),
    ]


def test_segments_for_compact_marks_keep_only_the_ids_asked_for_and_count_them_all():
    ranges = [(0, 4, "a"), (2, 6, "b"), (3, 5, "c"), (6, 8, "c")]
    assert [(p.start, p.end, p.ids, p.count) for p in segments(ranges, only={"b"})] == [
        (0, 2, (), 1),
        (2, 3, ("b",), 2),
        (3, 4, ("b",), 3),
        (4, 5, ("b",), 2),
        (5, 6, ("b",), 1),
        (6, 8, (), 1),
    ]
    assert [p.count for p in segments(ranges)] == [len(p.ids) for p in segments(ranges)]


def test_a_note_on_a_whole_table_puts_no_mark_where_a_browser_would_move_it_out_of_the_table():
    table = render_block("| a | b |\n|---|---|\n| 1 | 2 |")
    marked = highlight(table.html, [(0, len(table.text), "a")])
    assert text_content(marked) == table.text
    parents = {mark.parent.tag for mark in parse(marked).find_all("mark")}
    assert parents.isdisjoint({"table", "thead", "tbody", "tfoot", "tr"})


LIST_STRUCTURE = {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"}


def test_a_note_across_list_items_is_marked_inside_each_item_never_directly_in_the_list():
    bullets = render_block("- the first point\n- the second point\n- the third point")
    first, last = bullets.text.index("first"), bullets.text.index("second point") + len("second point")
    marked = highlight(bullets.html, [(first, last, "a")])
    assert text_content(marked) == bullets.text
    assert {mark.parent.tag for mark in parse(marked).find_all("mark")} == {"li"}
    assert [text for _, text, _ in marks(marked)] == ["first point", "the second point"]


def test_a_note_on_a_whole_numbered_list_marks_each_item():
    steps = render_block("1. one step\n2. another step")
    marked = highlight(steps.html, [(0, len(steps.text), "a")])
    assert text_content(marked) == steps.text
    assert [(mark.parent.tag, mark.text) for mark in parse(marked).find_all("mark")] == [
        ("li", "one step"),
        ("li", "another step"),
    ]


def test_a_nested_list_keeps_its_marks_inside_the_items():
    nested = render_block("- outer\n    - inner one\n    - inner two\n- after")
    marked = highlight(nested.html, [(0, len(nested.text), "a")])
    assert text_content(marked) == nested.text
    parents = {mark.parent.tag for mark in parse(marked).find_all("mark")}
    assert parents.isdisjoint(LIST_STRUCTURE)


# Laws -------------------------------------------------------------------------------------

WORDS = st.lists(
    st.sampled_from(["a", "b", " ", "&", "<", ">", "😀", "🎉", "평화", "e\u0301", "\u00a0", "\n", "'", '"']),
    min_size=1,
    max_size=6,
).map("".join)
INLINE = ["strong", "em", "a", "code"]


def to_html(node):
    kind = node[0]
    if kind == "text":
        return html.escape(node[1], quote=False)
    if kind == "br":
        return "<br>"
    inner = "".join(to_html(child) for child in node[1])
    if kind == "a":
        return f'<a href="https://example.org/?q=1&amp;r=2" rel="noopener noreferrer">{inner}</a>'
    return f"<{kind}>{inner}</{kind}>"


NODES = st.recursive(
    st.one_of(WORDS.map(lambda words: ("text", words)), st.just(("br",))),
    lambda children: st.tuples(st.sampled_from(INLINE), st.lists(children, max_size=4)),
    max_leaves=16,
)
PARAGRAPH_HTML = st.lists(NODES, min_size=1, max_size=5).map(
    lambda nodes: "<p>" + "".join(map(to_html, nodes)) + "</p>"
)


@st.composite
def html_and_ranges(draw):
    source = draw(PARAGRAPH_HTML)
    length = len(text_content(source))
    bounds = st.integers(0, length)
    pairs = draw(st.lists(st.tuples(bounds, bounds), max_size=6))
    ranges = [(start, end, f"n{n}") for n, (start, end) in enumerate(pairs)]
    mine = draw(st.sets(st.sampled_from([ident for *_, ident in ranges]))) if ranges else set()
    return source, ranges, mine


LAWS = settings(max_examples=4 * settings.default.max_examples, deadline=None)


@LAWS
@given(html_and_ranges())
def test_highlighting_keeps_the_text_content(case):
    source, ranges, mine = case
    assert text_content(highlight(source, ranges, mine)) == text_content(source)


@LAWS
@given(html_and_ranges())
def test_highlighting_only_adds_marks(case):
    source, ranges, mine = case
    assert without_marks(highlight(source, ranges, mine)) == source


@LAWS
@given(html_and_ranges())
def test_a_mark_never_contains_a_tag(case):
    source, ranges, mine = case
    marked = highlight(source, ranges, mine)
    assert marked.count("<mark ") == marked.count("</mark>")
    for mark in parse(marked).find_all("mark"):
        assert "<" not in mark.inner_html
        assert mark.inner_html  # no empty marks


@LAWS
@given(html_and_ranges())
def test_every_character_is_marked_with_exactly_the_ids_of_the_ranges_covering_it(case):
    source, ranges, mine = case
    coverage = Coverage(highlight(source, ranges, mine))
    assert not coverage.nested
    expected = [
        {ident for start, end, ident in ranges if start <= position < end}
        for position in range(len(text_content(source)))
    ]
    assert coverage.covered == expected
    assert coverage.mine == [bool(ids & mine) for ids in expected]


LIST_HTML = st.lists(st.lists(NODES, min_size=1, max_size=3), min_size=1, max_size=4).map(
    lambda items: "<ul>\n" + "\n".join("<li>" + "".join(map(to_html, item)) + "</li>" for item in items) + "\n</ul>"
)


@LAWS
@given(LIST_HTML, st.data())
def test_no_mark_is_ever_a_direct_child_of_a_list(source, data):
    length = len(text_content(source))
    pairs = data.draw(st.lists(st.tuples(st.integers(0, length), st.integers(0, length)), max_size=4))
    marked = highlight(source, [(start, end, f"n{n}") for n, (start, end) in enumerate(pairs)])
    assert text_content(marked) == text_content(source)
    assert all(mark.parent.tag not in LIST_STRUCTURE for mark in parse(marked).find_all("mark"))


@pytest.mark.django_db
def test_marks_made_once_are_reused_only_while_the_text_and_the_notes_are_the_same(client, article, alice, bob):
    note = note_on_quote(alice, article, "North Korea shot the missiles", visibility="public")
    client.force_login(bob)
    assert marked_ids(reading_page(client, article)) == {str(note.pk)}
    again = note_on_quote(alice, article, "North Korea shot the missiles", visibility="public", comment="Again.")
    assert marked_ids(reading_page(client, article)) == {str(note.pk), str(again.pk)}
    note.delete()
    assert marked_ids(reading_page(client, article)) == {str(again.pk)}
    client.force_login(alice)  # the same notes, another reader: her own are marked as hers
    assert "mine" in parse(reading_page(client, article)).find("mark")["class"]


def test_the_marks_of_a_long_text_are_made_afresh_not_remembered():
    from types import SimpleNamespace

    from django.contrib.auth.models import AnonymousUser

    from annotations.reading import MARKED_SIZE, _blocks, _marked

    def run_of(count):
        paragraphs = [SimpleNamespace(pk=n, html=f"<p>{'x' * 1000}</p>", text="x" * 1000) for n in range(count)]
        return paragraphs, {paragraph.pk: i for i, paragraph in enumerate(paragraphs)}

    _marked.cache_clear()
    long_run, order = run_of(MARKED_SIZE // 1000 + 1)
    blocks, _ = _blocks(AnonymousUser(), long_run, [], order)
    assert len(blocks) == len(long_run)
    assert _marked.cache_info().currsize == 0
    short_run, order = run_of(10)
    _blocks(AnonymousUser(), short_run, [], order)
    assert _marked.cache_info().currsize == 1
