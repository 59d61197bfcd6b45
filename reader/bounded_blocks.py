"""Python-Markdown's block-level reading, with the scans that made it quadratic bounded.

Python-Markdown's block processors take what they recognise off the front of a block (a
heading, a rule, a link definition…) and put the rest back as a new block, which every
processor then tests again. A test that reads the whole rest makes a block of many short
lines quadratic (2,500 setext headings took 2.7 s); these read each part of a block once.
reader.bounded_markdown registers them; see its docstring for the whole picture.
"""

import heapq
import re
from bisect import bisect_left, bisect_right
from collections import Counter

from markdown import blockprocessors
from markdown.htmlparser import HTMLExtractor, htmlparser, inner_blank_line_re
from markdown.preprocessors import HtmlBlockPreprocessor

MAX_NESTING = 32


class SearchOfRests:
    """A block processor's compiled expression, whose `search` remembers what it found in a block's rests.

    A rest is the end of a block, so a match that does not begin at the rest's first character
    is one the whole block has at the same distance from its end. The first match found after a
    place answers again for every rest that still holds it, or, when there was none, for every
    shorter rest. The few texts last searched are kept (a processor reads what came before a
    heading, then the rest after it).
    """

    KEPT = 3

    def __init__(self, expression):
        self.expression = expression
        self.found = []  # [text, searched from, first match at or after that, or None], latest first

    def __getattr__(self, name):
        return getattr(self.expression, name)  # match, finditer…: as the expression does them

    def search(self, text, pos=0):
        if pos:
            return self.expression.search(text, pos)
        at_start = self.expression.match(text)
        if at_start:
            return at_start
        later = self._first_match(text)
        return None if later is None else self.expression.search(text, later)

    def _first_match(self, text):
        """Where the first match in text[1:] begins, or None."""
        for known in self.found:
            searched, searched_from, where = known
            offset = len(searched) - len(text)
            if offset < 0 or not (searched is text or searched.endswith(text)):
                continue
            if searched_from > 1 + offset or (where is not None and where < 1 + offset):
                found = self.expression.search(searched, 1 + offset)
                known[1:] = [1 + offset, found and found.start()]
            return None if known[2] is None else known[2] - offset
        found = self.expression.search(text, 1)
        self.found = [[text, 1, found and found.start()], *self.found[: self.KEPT - 1]]
        return found and found.start()


class SetextRest:
    """A setext heading takes its two lines off the block without splitting and joining all the others."""

    def run(self, parent, blocks):
        lines = blocks[0].split("\n", 2)
        if len(lines) < 3:
            return super().run(parent, blocks)
        blocks[0] = "\n".join(lines[:2])
        result = super().run(parent, blocks)
        blocks.insert(0, lines[2])
        return result


class TableTest:
    """The tables extension's test, reading the lines it needs rather than every line of the block.

    And its `_split` of a row into cells, which looked through every code span for each pipe.
    """

    def __init__(self, parser, config):
        super().__init__(parser, config)
        self._last_plain = (None, -1)  # (text, where its last row with no pipe at either end starts)

    def test(self, parent, block):
        lines = block.split("\n", 2)
        if not super().test(parent, "\n".join(lines[:2])):  # the header row and the separator row decide…
            return False
        if len(self.separator) > 1 or len(lines) < 3:
            return True
        # …but a one-column table also needs a pipe on each of its other rows.
        return self._last_plain_row(block) < len(lines[0]) + len(lines[1]) + 2

    def _last_plain_row(self, block):
        text, start = self._last_plain
        if text is not None and text.endswith(block):  # a rest of the block it was found for
            return start - (len(text) - len(block))
        start, end = -1, len(block)
        while end >= 0:
            row_start = block.rfind("\n", 0, end) + 1
            row = block[row_start:end].strip(" ")
            if not (row.startswith("|") or self.RE_END_BORDER.search(row)):
                start = row_start
                break
            end = row_start - 1
        self._last_plain = (block, start)
        return start

    def _split(self, row):
        """The cells of a row: split at each pipe that is neither escaped nor inside a code span."""
        sizes, edges, pipes = [], [], []  # each run of backticks: its size, and (start, end, escaped)
        for match in self.RE_CODE_PIPES.finditer(row):
            if match[2]:
                sizes.append(len(match[2]) - 1)
                edges.append((match.start(2), match.end(2) - 1, 1))
            elif match[3]:
                sizes.append(len(match[3]))
                edges.append((match.start(3), match.end(3) - 1, 0))
            elif match[5]:
                pipes.append(match.start(5))
        cells, start, spans, span = [], 0, _code_spans(sizes, edges), 0
        for pipe in pipes:
            while span < len(spans) and spans[span][1] < pipe:
                span += 1
            if span == len(spans) or pipe < spans[span][0]:
                cells.append(row[start:pipe])
                start = pipe + 1
        cells.append(row[start:])
        return cells


def _code_spans(sizes, edges):
    """(start, end) of each code span: a run of backticks (less its escape) up to the next run of that size."""
    of_size = {}
    for at, size in enumerate(sizes):
        of_size.setdefault(size, []).append(at)
    spans, at = [], 0
    while at < len(sizes):
        wanted = sizes[at] - edges[at][2]
        later = of_size.get(wanted, [])
        closing = bisect_right(later, at)
        if wanted and closing < len(later):
            spans.append((edges[at][0], edges[later[closing]][1]))
            at = later[closing] + 1
        else:
            at += 1
    return spans


class Nesting:
    """A block processor that opens a container: past MAX_NESTING deep it declines, and its markers stay text."""

    def test(self, parent, block):
        if getattr(self.parser, "nesting", 0) >= MAX_NESTING:
            return False
        if isinstance(self, blockprocessors.BlockQuoteProcessor):
            return bool(self.RE.search(block))  # the depth is bounded here, so no need to measure the stack
        return super().test(parent, block)

    def run(self, parent, blocks):
        self.parser.nesting = getattr(self.parser, "nesting", 0) + 1
        try:
            return super().run(parent, blocks)
        finally:
            self.parser.nesting -= 1


# Fenced code ------------------------------------------------------------------------------

_FENCE_LINE = re.compile(r"^(~{3,}|`{3,})[ ]*$", re.MULTILINE)
# The opening line as fenced_code reads it, except that an hl_lines="…" value stays on its line.
_FENCE_OPENING = re.compile(
    r"^(~{3,}|`{3,})[ ]*(\{[^\n]*\}|(\.?[\w#.+-]*[ ]*)?(hl_lines=([\"'])[^\n]*?\5[ ]*)?)\n", re.MULTILINE
)


class _FenceLines:
    """Where the lines that are a fence alone are, in one text."""

    def __init__(self, text):
        self.text, self.starts, self.ends = text, {}, {}
        for line in _FENCE_LINE.finditer(text):
            self.starts.setdefault(line[1], []).append(line.start())
            self.ends.setdefault(line[1], []).append(line.end())

    def closing(self, fence, after):
        """The end of the first line after `after` that is `fence` alone, or None."""
        starts = self.starts.get(fence, [])
        found = bisect_left(starts, after)
        return self.ends[fence][found] if found < len(starts) else None


class FencedBlockSearch:
    """fenced_code's `FENCED_BLOCK_RE.search`, finding each fence's closing line in an index.

    The expression itself tries every opening fence and reads on to the end of the text for its
    closing line; this finds the closing line first and lets the expression read only that far.
    fenced_code replaces each block it finds with a placeholder and searches on after it, so
    the index of closing lines still serves the rest of the text (its positions count from the end).
    """

    def __init__(self, expression):
        self.expression, self.lines = expression, None

    def search(self, text, pos=0):
        lines, offset = self._lines(text, pos)
        for opening in _FENCE_OPENING.finditer(text, pos):
            end = lines.closing(opening[1], opening.end() + offset)
            found = end is not None and self.expression.match(text, opening.start(), end - offset)
            if found:
                return found
        return None

    def _lines(self, text, pos):
        lines = self.lines
        if lines is not None:
            offset = len(lines.text) - len(text)
            if offset + pos + 1 >= 0 and lines.text.endswith(text[pos + 1 :]):
                return lines, offset
        self.lines = _FenceLines(text)
        return self.lines, 0


# Raw HTML -----------------------------------------------------------------------------------


class ReadsStartTagsOnce:
    """For an HTMLParser: a start tag that never ends is read once; a `<` inside it is text.

    Python's parser reads on from each `<` to where its tag would end, and hands back the `<`
    as text when the tag does not end; for `<a <a <a …` that is the rest of the text, every
    time. `tag_reach` is the parser module's expression for how far a start tag reaches.
    """

    tag_reach = None

    def reset(self):
        super().reset()
        self._unfinished_tag = (None, 0)  # (rawdata, where) a start tag that never ended stops

    def check_for_whole_start_tag(self, i):
        rawdata = self.rawdata
        searched, end = self._unfinished_tag
        if searched is rawdata and i < end:
            return -1
        found = super().check_for_whole_start_tag(i)
        if found < 0:
            self._unfinished_tag = (rawdata, self.tag_reach.match(rawdata, i).end())
        return found


# At each "</", the end tag there (a lookahead, so that one inside another's name is found too).
_END_TAG = re.compile(r"(?=(</\s*([^\s>]+)\s*>))")


class _OpenTags:
    """The raw inline tags open in a paragraph, counted, and whether one of them is closed further on.

    Python-Markdown asks, at each HTML comment, whether any open tag has its end tag later in
    the paragraph, by searching the rest of the paragraph once for each open tag. Here the end
    tags are found once, in document order; for each name the last one so far is kept, and a
    heap gives the furthest of those whose tag is open. (An end tag is known by its name, as it
    is written up to a space or ">", in lower case: a tag named with some other kind of space
    in it is not seen closed.)
    """

    def __init__(self, tags):
        self.count = Counter(tags)
        self.rawdata, self.end_tags, self.taken, self.end = None, [], 0, 0
        self.last, self.furthest = {}, []  # name → where its last end tag so far is; heap of (-where, name)

    def opened(self, tag):
        self.count[tag] += 1
        if tag in self.last:
            heapq.heappush(self.furthest, (-self.last[tag], tag))

    def closed(self, tag):
        self.count[tag] -= 1

    def closed_ahead(self, rawdata, start, end):
        """Whether an open tag has an end tag within rawdata[start:end]."""
        if rawdata is not self.rawdata:
            self.rawdata, self.taken, self.end, self.last, self.furthest = rawdata, 0, 0, {}, []
            self.end_tags = [(m.start(), m.end(1), m[2].lower()) for m in _END_TAG.finditer(rawdata)]
        while self.taken < len(self.end_tags) and self.end_tags[self.taken][1] <= end:
            where, _, name = self.end_tags[self.taken]
            self.last[name] = where
            if self.count[name] > 0:
                heapq.heappush(self.furthest, (-where, name))
            self.taken += 1
        while self.furthest:
            where, name = self.furthest[0]
            if self.count[name] > 0 and self.last[name] == -where:
                return -where >= start
            heapq.heappop(self.furthest)
        return False


class _HtmlExtractor(ReadsStartTagsOnce, HTMLExtractor):
    """Python-Markdown's raw-HTML reader, without its scans that start again at every `<`."""

    tag_reach = htmlparser.locatestarttagend_tolerant

    def reset(self):
        super().reset()
        self._last_gt = (None, -1)  # (rawdata, position of its last ">")
        self._open_tags, self._counted = _OpenTags([]), self.inline_stack

    def parse_endtag(self, i):
        rawdata = self.rawdata
        if self._last_gt[0] is not rawdata:
            self._last_gt = (rawdata, rawdata.rfind(">"))
        if self._last_gt[1] <= i:  # no ">" left to end it: text, as Python-Markdown makes it
            self.handle_data(rawdata[i : i + 2])
            return i + 2
        return super().parse_endtag(i)

    def open_tags(self):
        if self._counted is not self.inline_stack:  # Python-Markdown started a new list at a blank line
            self._open_tags, self._counted = _OpenTags(self.inline_stack), self.inline_stack
        return self._open_tags

    def open_inline_tag(self, tag):
        tags, length = self.open_tags(), len(self.inline_stack)
        super().open_inline_tag(tag)
        if len(self.inline_stack) > length:
            tags.opened(tag)

    def close_inline_tag(self, tag):
        """Python-Markdown's: close `tag` and the tags opened after it, if it is open."""
        tags = self.open_tags()
        if tags.count[tag] > 0:
            while self.inline_stack:
                closed = self.inline_stack.pop()
                tags.closed(closed)
                if closed == tag:
                    break

    def inline_close_follows(self, text):
        """Python-Markdown's check: is an open inline tag closed later in the paragraph, after the comment `text`?"""
        if not self.inline_stack:
            return False
        start = self.line_offset + self.offset + len(text)
        blank_line = inner_blank_line_re.search(self.rawdata, start)
        end = blank_line.start() if blank_line else len(self.rawdata)
        return self.open_tags().closed_ahead(self.rawdata, start, end)


class HtmlBlocks(HtmlBlockPreprocessor):
    def run(self, lines):
        parser = _HtmlExtractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")
