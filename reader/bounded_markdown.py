"""Python-Markdown, kept to work in proportion to the text it reads.

Some of Python-Markdown's scans start again at every candidate position and read on to the end
of the text, so one short shape repeated costs the square of its length: 10,000 `[` took 40 s
to check and as long to render, `[](` repeated 10 s, `<a ` repeated 5 s. Nested list markers
(`+ + + …`) recursed until Python's stack ran out. This extension swaps those parts for ones
that give the same HTML with each part of the text read once:

- **a link's text** (`[`, `![`, `[[[…`): where each `[` closes is found once, for the whole
  text (`BracketIndex`), instead of read for from every `[`;
- **a link's destination** (`[](` repeated): where the library's scan of `(…)` would stop is
  worked out from the same index, and the library then reads only that far;
- **code spans** (runs of backticks that never close): the closing run is looked up;
- **blocks** (reader.bounded_blocks): tests of what is left of a block after a heading, a
  rule or a link definition, fenced code, table rows, raw HTML;
- **nesting**: lists and quotes nest at most `MAX_NESTING` deep; deeper markers stay text.

Where the HTML differs from Python-Markdown's, on purpose: markers nested deeper than
MAX_NESTING; a `<` inside a start tag that never ends is text (Python-Markdown could still
start a raw HTML block there, say in `<a b='⏎<div>…' c='…` with a quote never closed); an
`hl_lines="…"` value of a fence must end on its line. tests/reader/test_bounded_markdown.py
checks that it otherwise renders what Python-Markdown renders, and `make bench`
(tests/benchmarks/test_markdown_benchmark.py) prints the time per character of each shape
that used to be quadratic.
"""

import re
from bisect import bisect_left, bisect_right

from markdown import inlinepatterns
from markdown.extensions import Extension

from reader.bounded_blocks import (
    FencedBlockSearch,
    HtmlBlocks,
    Nesting,
    SearchOfRests,
    SetextRest,
    TableTest,
)

_BRACKETS = re.compile(r"[\[\]()'\"]")
# A ")" whose last character before it, spaces aside, is a quote: where a link title can end.
_TITLE_END = re.compile(r"(['\"]) *\)")


class BracketIndex:
    """Where each `[` and `(` of a text closes, and where its quotes are, found in one pass.

    An inline pattern that matches replaces the match with a placeholder, which changes the
    text before where it goes on reading and never after it. So an index of one text also
    serves a later version of it from any position whose rest is unchanged: `Indexes` checks
    that and translates the positions.
    """

    def __init__(self, text):
        self.text = text
        self.closing = {}  # position of a "[" or "(" → position of the "]" or ")" that closes it
        self.opens, self.closes, self.parens, self.quotes = [], [], [], []
        self.of_quote = {"'": [], '"': []}
        waiting = {"[": [], "(": []}
        for match in _BRACKETS.finditer(text):
            char, at = match[0], match.start()
            if char in "[(":
                waiting[char].append(at)
            elif char in "])":
                opened = waiting["[" if char == "]" else "("]
                if opened:
                    self.closing[opened.pop()] = at
            if char in "()":
                self.parens.append(at)
                (self.opens if char == "(" else self.closes).append(at)
            elif char in "'\"":
                self.quotes.append(at)
                self.of_quote[char].append(at)
        self.title_ends = [(m.end() - 1, m.start(), m[1]) for m in _TITLE_END.finditer(text)]
        self.title_end_positions = [end for end, _, _ in self.title_ends]

    def next_quote(self, at):
        found = bisect_left(self.quotes, at)
        return self.quotes[found] if found < len(self.quotes) else None

    def balance(self, start, end):
        """How many more "(" than ")" there are in text[start:end]."""
        opens = bisect_left(self.opens, end) - bisect_left(self.opens, start)
        return opens - (bisect_left(self.closes, end) - bisect_left(self.closes, start))

    def nth_paren_after(self, at, n):
        found = bisect_right(self.parens, at) + n - 1
        return self.parens[found] if found < len(self.parens) else None

    def title_close(self, opening_quote):
        """Where Python-Markdown's scan of a link's `(…)` ends once a title opened at `opening_quote`.

        That is the first ")" right after (spaces aside) a quote that closes a title: one like
        the opening quote, after it; or the other kind of quote, after that kind's first use.
        """
        quote = self.text[opening_quote]
        others = self.of_quote['"' if quote == "'" else "'"]
        first_other = bisect_right(others, opening_quote)
        first_other = others[first_other] if first_other < len(others) else None
        for at in range(bisect_right(self.title_end_positions, opening_quote), len(self.title_ends)):
            end, closing_quote, kind = self.title_ends[at]
            if closing_quote == opening_quote:
                continue
            if kind == quote or closing_quote != first_other:
                return end
        return None


class BacktickRuns:
    """The runs of backticks in one text: where each is, the runs of each length, and from each run the longest."""

    def __init__(self, text):
        self.text = text
        runs = [match.span() for match in re.finditer("`+", text)]
        self.starts = [start for start, _ in runs]
        self.ends = [end for _, end in runs]
        self.of_length = {}
        for start, end in runs:
            self.of_length.setdefault(end - start, []).append(start)
        self.longest_from = [0] * (len(runs) + 1)  # the first of the longest runs from each on; len(runs) for none
        self.longest_from[len(runs)] = None
        for at in range(len(runs) - 1, -1, -1):
            later = self.longest_from[at + 1]
            self.longest_from[at] = at if later is None or self.length(at) >= self.length(later) else later

    def length(self, run):
        return self.ends[run] - self.starts[run]


class Indexes:
    """The index of the text the inline patterns are reading now, rebuilt only when it changes."""

    def __init__(self, index_class=BracketIndex):
        self.index_class = index_class
        self.index, self.checked, self.checked_from = None, None, 0

    def of(self, data, start):
        """(index, offset): an index whose text ends as data[start:] does, and where data's positions are in it."""
        index = self.index
        if index is not None:
            offset = len(index.text) - len(data)
            if data is index.text or (data is self.checked and start >= self.checked_from):
                return index, offset
            if start + offset >= 0 and index.text.endswith(data[start:]):
                self.checked, self.checked_from = data, start
                return index, offset
        self.index, self.checked = self.index_class(data), None
        return self.index, 0


_READ_ALL = object()


class _BoundedLinks:
    """getText and getLink for the link and image patterns, reading each part of the text once."""

    def __init__(self, pattern, md, indexes):
        super().__init__(pattern, md)
        self.indexes = indexes

    def getText(self, data, index):
        if data[index - 1 : index] != "[":
            return super().getText(data, index)
        brackets, offset = self.indexes.of(data, index - 1)
        close = brackets.closing.get(index - 1 + offset)
        if close is None:
            return "", index, False
        close -= offset
        return data[index:close], close + 1, True

    def getLink(self, data, index):
        match = self.RE_LINK.match(data, pos=index)
        if match is None or match.group(1):
            return super().getLink(data, index)  # it reads no further than the match
        end = self._scan_end(data, index, match.end())
        if end is None:
            return "", None, len(data), False
        return super().getLink(data if end is _READ_ALL else data[:end], index)

    def _scan_end(self, data, opening, start):
        """Where the library's scan of the `(…)` opened at `opening` stops, or None if it finds no link there.

        Until a quote, it counts parentheses; from a quote on, it is in a title, which ends at
        a `)` right after a closing quote (`title_close`). With no such `)` it falls back to the
        `)` that balances the parentheses counted before the quote, each later parenthesis
        counting one (or, when that is a "(", it answers oddly: then let it read everything).
        """
        brackets, offset = self.indexes.of(data, opening)
        close = brackets.closing.get(opening + offset)
        quote = brackets.next_quote(start + offset)
        if quote is None or (close is not None and close < quote):
            return None if close is None else close + 1 - offset
        end = brackets.title_close(quote)
        if end is not None:
            return end + 1 - offset
        fallback = brackets.nth_paren_after(quote, 1 + brackets.balance(start + offset, quote))
        if fallback is None:
            return None
        return _READ_ALL if brackets.text[fallback] == "(" else fallback + 1 - offset


class _BoundedBackticks(inlinepatterns.BacktickInlineProcessor):
    """Code spans, with the closing run of backticks looked up instead of read for from every opening run."""

    def __init__(self, pattern):
        super().__init__(pattern)
        self.indexes = Indexes(BacktickRuns)

    def find_code_spans(self, start, text):
        """What Python-Markdown's find_code_spans answers: (where the code starts, where it ends or None)."""
        runs, offset = self.indexes.of(text, start)
        opening = bisect_right(runs.starts, start + offset) - 1
        if opening < 0 or runs.ends[opening] <= start + offset:
            return super().find_code_spans(start, text)
        end, ticks = runs.ends[opening], runs.ends[opening] - (start + offset)
        same = runs.of_length.get(ticks, [])
        closing = bisect_left(same, end)
        if closing < len(same):
            return end - offset, same[closing] - offset
        longest = runs.longest_from[opening + 1]
        if longest is not None and runs.length(longest) < ticks:
            # No run as long as the opening one: the longest after it closes a shorter span.
            return end - offset - (ticks - runs.length(longest)), runs.starts[longest] - offset
        return end - offset + ticks, None  # (sic: Python-Markdown skips as many characters again)


def _bounded(processor_class):
    return type(f"Bounded{processor_class.__name__}", (_BoundedLinks, processor_class), {})


# Python-Markdown's link patterns: (name, class, expression, priority) as build_inlinepatterns registers them.
_LINK_PATTERNS = [
    ("reference", inlinepatterns.ReferenceInlineProcessor, inlinepatterns.REFERENCE_RE, 170),
    ("link", inlinepatterns.LinkInlineProcessor, inlinepatterns.LINK_RE, 160),
    ("image_link", inlinepatterns.ImageInlineProcessor, inlinepatterns.IMAGE_LINK_RE, 150),
    ("image_reference", inlinepatterns.ImageReferenceInlineProcessor, inlinepatterns.IMAGE_REFERENCE_RE, 140),
    ("short_reference", inlinepatterns.ShortReferenceInlineProcessor, inlinepatterns.REFERENCE_RE, 130),
    ("short_image_ref", inlinepatterns.ShortImageReferenceInlineProcessor, inlinepatterns.IMAGE_REFERENCE_RE, 125),
]


def _wrap(registry, name, priority, mixin, *arguments):
    """Register, in place of the processor `name`, its class with `mixin` in front."""
    processor = registry[name]
    bounded = type(f"Bounded{type(processor).__name__}", (mixin, type(processor)), {})
    registry.register(bounded(*arguments), name, priority)


class BoundedWork(Extension):
    """Register this after the other extensions: it wraps the processors they chose."""

    def extendMarkdown(self, md):
        indexes = Indexes()
        md.inlinePatterns.register(_BoundedBackticks(inlinepatterns.BACKTICK_RE), "backtick", 190)
        for name, processor_class, expression, priority in _LINK_PATTERNS:
            md.inlinePatterns.register(_bounded(processor_class)(expression, md, indexes), name, priority)
        md.preprocessors.register(HtmlBlocks(md), "html_block", 20)
        if "fenced_code_block" in md.preprocessors:
            fenced = md.preprocessors["fenced_code_block"]
            fenced.FENCED_BLOCK_RE = FencedBlockSearch(fenced.FENCED_BLOCK_RE)
        blocks = md.parser.blockprocessors
        # The priorities are those Python-Markdown and its tables extension register them with.
        if "table" in blocks:
            _wrap(blocks, "table", 75, TableTest, md.parser, blocks["table"].config)
        _wrap(blocks, "setextheader", 60, SetextRest, md.parser)
        for name, priority in [("indent", 90), ("olist", 40), ("ulist", 30), ("quote", 20)]:
            _wrap(blocks, name, priority, Nesting, md.parser)
        blocks["hashheader"].RE = SearchOfRests(blocks["hashheader"].RE)
        blocks["hr"].SEARCH_RE = SearchOfRests(blocks["hr"].SEARCH_RE)
        blocks["quote"].RE = SearchOfRests(blocks["quote"].RE)
        blocks["reference"].RE = SearchOfRests(blocks["reference"].RE)
