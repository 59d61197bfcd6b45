"""Finding a passage in an article: by position, by quote, and the quote of a position.

An article reads as one running text: its paragraphs' texts joined by a blank line. A
passage is a pair of points in it; each point is (paragraph, offset) with offsets in
Unicode code points, which is what Python's `str` indexes by.

A point never falls inside a character as a reader sees it (a grapheme cluster: a letter
and its combining accent, a flag's two regional indicators, an emoji joined by ZWJ): a mark
there would break the glyph in two. Such offsets are refused, naming the whole offsets on
either side, rather than moved: a passage placed other than where it was asked is worse than
a clear refusal. Clusters are Unicode's extended grapheme clusters (UAX #29), as the
`regex` module's \\X finds them.
"""

import bisect
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import regex

from annotations.models import QUOTE_CONTEXT

SEPARATOR = "\n\n"
MAX_QUOTE_LENGTH = 50_000
_WHITESPACE = re.compile(r"\s+")
_GRAPHEME = regex.compile(r"\X")


class AnchoringError(ValueError):
    """The passage cannot be found as described; the message says what to fix."""


class AmbiguousQuote(AnchoringError):
    """The quote occurs more than once and its prefix and suffix do not tell which: `passages` are the candidates."""

    SHOWN = 10  # the message lists this many places at most

    def __init__(self, exact, passages):
        self.passages = passages
        places = "; ".join(
            f"paragraph {passage.start.key} from offset {passage.start_offset}"
            + (f" to paragraph {passage.end.key}" if passage.end.key != passage.start.key else " to")
            + f" offset {passage.end_offset}"
            for passage in passages[: self.SHOWN]
        )
        more = f" (and {len(passages) - self.SHOWN} more)" if len(passages) > self.SHOWN else ""
        super().__init__(
            f"The quote “{_short(exact)}” occurs {len(passages)} times in this article and its prefix and suffix "
            f"do not tell which is meant: {places}{more}. Send its position (a TextPositionSelector), "
            "or more of the text before and after it."
        )


@dataclass(frozen=True)
class Passage:
    start: object  # Paragraph
    start_offset: int
    end: object  # Paragraph
    end_offset: int
    exact: str
    prefix: str
    suffix: str

    def as_fields(self):
        """The Annotation fields that record this passage."""
        return {
            "start_paragraph": self.start,
            "start_key": self.start.key,
            "start_offset": self.start_offset,
            "end_paragraph": self.end,
            "end_key": self.end.key,
            "end_offset": self.end_offset,
            "quote_exact": self.exact,
            "quote_prefix": self.prefix,
            "quote_suffix": self.suffix,
        }


def _short(text, limit=60):
    text = _WHITESPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def squeeze(text):
    """Collapse whitespace runs to one space; return the new text and each char's old index."""
    chars, where = [], []
    for index, char in enumerate(text):
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            char = " "
        chars.append(char)
        where.append(index)
    return "".join(chars), where


def same_quote(a, b):
    return _WHITESPACE.sub(" ", a).strip() == _WHITESPACE.sub(" ", b).strip()


class ArticleText:
    """The article's paragraphs as one running text."""

    # What a paragraph gives the running text: neither its Markdown nor its HTML, often most of its bytes.
    FIELDS = ("id", "article", "position", "key", "text")

    # The paragraphs last read, by article and revision: every change of the text makes a new revision
    # (and sets the article's `modified`, which tells apart a revision number used again after a restore),
    # so a revision's text never changes, and a create need not read it again. Long texts are read each
    # time, so what is kept stays within KEPT × KEPT_SIZE characters; each call gets its own ArticleText,
    # whose lookups (grapheme edges, the squeezed text) go with it.
    KEPT, KEPT_SIZE = 16, 256 * 1024
    _kept, _keeping = OrderedDict(), threading.Lock()

    @classmethod
    def of(cls, article):
        """The running text of `article` at the revision it was read at, read with only the columns it needs.

        Call it with the article as just read (or read again under the text's lock): an article read before
        a change of its text names the old revision, whose text may still be kept here.
        """
        key = (article.pk, article.revision, article.modified)
        with cls._keeping:
            paragraphs = cls._kept.get(key)
            if paragraphs is not None:
                cls._kept.move_to_end(key)
        if paragraphs is None:
            paragraphs = tuple(article.paragraphs.only(*cls.FIELDS).order_by("position"))
            if sum(len(paragraph.text) for paragraph in paragraphs) <= cls.KEPT_SIZE:
                with cls._keeping:
                    cls._kept[key] = paragraphs
                    while len(cls._kept) > cls.KEPT:
                        cls._kept.popitem(last=False)
        return cls(paragraphs)

    def __init__(self, paragraphs):
        self.paragraphs = sorted(paragraphs, key=lambda paragraph: paragraph.position)
        self.by_key = {paragraph.key: paragraph for paragraph in self.paragraphs}
        self.index_of = {paragraph.key: i for i, paragraph in enumerate(self.paragraphs)}
        self.starts, position = [], 0
        for paragraph in self.paragraphs:
            self.starts.append(position)
            position += len(paragraph.text) + len(SEPARATOR)
        self.text = SEPARATOR.join(paragraph.text for paragraph in self.paragraphs)
        self._edges = {}  # paragraph key -> the offsets between its grapheme clusters, found on demand
        self._squeezed = None  # the text with its white space squeezed, made once (an import looks up many quotes)

    # Points ------------------------------------------------------------------------------

    def edges(self, paragraph):
        """The offsets in the paragraph's text that fall between two whole characters, in order."""
        if paragraph.key not in self._edges:
            starts = [match.start() for match in _GRAPHEME.finditer(paragraph.text)]
            self._edges[paragraph.key] = [*starts, len(paragraph.text)]
        return self._edges[paragraph.key]

    def cluster_around(self, paragraph, offset):
        """(start, end) of the character `offset` falls inside, or None when it falls between two."""
        edges = self.edges(paragraph)
        i = bisect.bisect_left(edges, offset)
        if edges[i] == offset:
            return None
        return edges[i - 1], edges[i]

    def on_edge(self, point):
        """Whether a running-text point falls between whole characters (a separator's points do)."""
        i = bisect.bisect_right(self.starts, point) - 1
        paragraph, offset = self.paragraphs[i], point - self.starts[i]
        return offset >= len(paragraph.text) or self.cluster_around(paragraph, offset) is None

    def point(self, paragraph, offset):
        return self.starts[self.index_of[paragraph.key]] + offset

    def _locate(self, point, *, is_end):
        """(paragraph, offset) of a running-text point; a point in a separator moves into text."""
        i = bisect.bisect_right(self.starts, point) - 1
        paragraph = self.paragraphs[i]
        offset = point - self.starts[i]
        if offset > len(paragraph.text):  # inside the separator after this paragraph
            if is_end:
                return paragraph, len(paragraph.text)
            return self.paragraphs[i + 1], 0
        if is_end and offset == 0 and i > 0:  # an end at a paragraph's very start ends the one before
            previous = self.paragraphs[i - 1]
            return previous, len(previous.text)
        if not is_end and offset == len(paragraph.text) and i + 1 < len(self.paragraphs):
            return self.paragraphs[i + 1], 0
        return paragraph, offset

    def passage(self, start_point, end_point):
        start, start_offset = self._locate(start_point, is_end=False)
        end, end_offset = self._locate(end_point, is_end=True)
        start_point, end_point = self.point(start, start_offset), self.point(end, end_offset)
        return Passage(
            start=start,
            start_offset=start_offset,
            end=end,
            end_offset=end_offset,
            exact=self.text[start_point:end_point],
            prefix=self.text[max(0, start_point - QUOTE_CONTEXT) : start_point],
            suffix=self.text[end_point : end_point + QUOTE_CONTEXT],
        )

    # By position -------------------------------------------------------------------------

    def paragraph(self, key):
        if not isinstance(key, str) or key not in self.by_key:
            raise AnchoringError(f"This article has no paragraph with key {key!r}.")
        return self.by_key[key]

    def _offset(self, paragraph, offset, name):
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise AnchoringError(f"The {name} offset must be a whole number, not {offset!r}.")
        if not 0 <= offset <= len(paragraph.text):
            raise AnchoringError(
                f"The {name} offset {offset} is outside paragraph {paragraph.key}, "
                f"which has {len(paragraph.text)} characters (offsets run from 0 to {len(paragraph.text)})."
            )
        cluster = self.cluster_around(paragraph, offset)
        if cluster is not None:
            start, end = cluster
            raise AnchoringError(
                f"The {name} offset {offset} falls inside the character “{paragraph.text[start:end]}” of paragraph "
                f"{paragraph.key}, which runs from offset {start} to {end}: use {start} or {end}."
            )
        return offset

    def by_position(self, start_key, start_offset, end_key, end_offset, exact=None):
        start, end = self.paragraph(start_key), self.paragraph(end_key)
        start_point = self.point(start, self._offset(start, start_offset, "start"))
        end_point = self.point(end, self._offset(end, end_offset, "end"))
        if end_point < start_point:
            raise AnchoringError("The passage ends before it starts: the end must come after the start.")
        if end_point == start_point:
            raise AnchoringError("The passage is empty: select at least one character.")
        passage = self.passage(start_point, end_point)
        if not passage.exact.strip():
            raise AnchoringError("The passage holds only white space: select some text.")
        if len(passage.exact) > MAX_QUOTE_LENGTH:
            raise AnchoringError(f"The passage is longer than {MAX_QUOTE_LENGTH:,} characters.")
        if exact is not None and not same_quote(exact, passage.exact):
            raise AnchoringError(
                f"The quote “{_short(exact)}” does not match the text at that position, "
                f"which reads “{_short(passage.exact)}”."
            )
        return passage

    # By quote ----------------------------------------------------------------------------

    def by_quote(self, exact, prefix="", suffix="", near=None, *, unique=False):
        """The passage quoting `exact`; where it occurs more than once, the one prefix and suffix fit best.

        Among equally good fits the one nearest `near` (else the first) is taken, unless `unique`:
        then a tie is refused (AmbiguousQuote) rather than guessed. A client that gives a quote
        alone must be told, not have its note put on words it may not have meant.
        """
        if not isinstance(exact, str) or not exact.strip():
            raise AnchoringError("The quote is empty: give the exact text of the passage.")
        if len(exact) > MAX_QUOTE_LENGTH:
            raise AnchoringError(f"The quote is longer than {MAX_QUOTE_LENGTH:,} characters.")
        matches = self._find(exact)
        if not matches:
            raise AnchoringError(f"The quote “{_short(exact)}” is not in this article.")
        matches = [(start, end) for start, end in matches if self.on_edge(start) and self.on_edge(end)]
        if not matches:
            raise AnchoringError(
                f"The quote “{_short(exact)}” is in this article only as part of larger characters "
                "(a letter with its accent, an emoji sequence): quote whole characters."
            )
        scores = {match: self._score(match, prefix or "", suffix or "", near) for match in matches}
        best = max(matches, key=scores.get)
        if unique:
            tied = [match for match in matches if scores[match][0] == scores[best][0]]
            if len(tied) > 1:
                raise AmbiguousQuote(exact, [self.passage(*match) for match in tied])
        return self.passage(*best)

    def _find(self, exact):
        """Every (start, end) where exact occurs; whitespace-insensitive if it never occurs as is."""
        found = [(i, i + len(exact)) for i in _occurrences(self.text, exact)]
        if found:
            return found
        if self._squeezed is None:
            self._squeezed = squeeze(self.text)
        squeezed, where = self._squeezed
        needle = _WHITESPACE.sub(" ", exact).strip()
        return [(where[i], where[i + len(needle) - 1] + 1) for i in _occurrences(squeezed, needle)]

    def _score(self, match, prefix, suffix, near):
        start, end = match
        before = self.text[max(0, start - len(prefix)) : start]
        after = self.text[end : end + len(suffix)]
        context = common_suffix(before, prefix) + common_prefix(after, suffix)
        distance = abs(start - near) if near is not None else start
        return (context, -distance)


def _occurrences(haystack, needle):
    start = haystack.find(needle)
    while start != -1:
        yield start
        start = haystack.find(needle, start + 1)


def common_prefix(a, b):
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def common_suffix(a, b):
    return common_prefix(a[::-1], b[::-1])
