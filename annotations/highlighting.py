"""Server-side highlights: wrap <mark> elements around ranges of a paragraph's text.

A mark only ever wraps part of one text node, so it never crosses an element boundary:
a range over bold and plain text becomes several marks. Where ranges overlap, the text
is cut at every range edge and each piece's mark lists every annotation covering it.
The text content of the result is exactly the text content of the input.
"""

from html import escape
from typing import NamedTuple

from reader.rendering import TextWalker


class Segment(NamedTuple):
    start: int
    end: int
    ids: tuple
    count: int  # how many notes cover the piece (`ids` may list only some of them)


def segments(ranges, only=None):
    """Cut (start, end, id) ranges into non-overlapping pieces, each with its covering ids.

    A sweep over the sorted range edges: O(n log n) plus the size of the output, so a
    paragraph under hundreds of notes stays cheap. Ids are listed in order of their start.
    With `only` (a set of ids), a piece lists just the covering ids in it, and its count
    says how many cover it in all: a piece under a hundred notes copies no hundred ids.
    """
    events = []
    for start, end, ident in ranges:
        if end > start:
            ident = str(ident)
            events.append((start, 1, ident))
            events.append((end, 0, ident))
    events.sort(key=lambda event: (event[0], event[1]))
    pieces, active, count, i = [], {}, 0, 0
    while i < len(events):
        point = events[i][0]
        while i < len(events) and events[i][0] == point:
            _, opens, ident = events[i]
            count += 1 if opens else -1
            if not opens:
                active.pop(ident, None)
            elif only is None or ident in only:
                active[ident] = True
            i += 1
        if count and i < len(events):
            pieces.append(Segment(point, events[i][0], tuple(active), count))
    return pieces


# Text directly inside these elements is whitespace between rows and cells, or between list
# items. A browser's parser moves any element found in a table's structure out in front of the
# table, and a list may hold only its items (a mark there breaks the list for screen readers),
# so no mark goes there: a passage across list items or cells is marked inside each of them.
TABLE_STRUCTURE = {"table", "thead", "tbody", "tfoot", "tr", "colgroup"}
LIST_STRUCTURE = {"ul", "ol", "dl", "menu"}
NO_MARKS_DIRECTLY_INSIDE = TABLE_STRUCTURE | LIST_STRUCTURE
VOID_ELEMENTS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Marker(TextWalker):
    def __init__(self, pieces, mine, compact=False):
        super().__init__()
        self.pieces, self.mine, self.compact = pieces, mine, compact
        self.out, self.position, self.next_piece = [], 0, 0
        self.open = []

    def tag(self, tag):
        self.out.append(self.get_starttag_text())
        if tag not in VOID_ELEMENTS and not self.get_starttag_text().endswith("/>"):
            self.open.append(tag)

    def end_tag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def _unmarkable(self):
        return bool(self.open) and self.open[-1] in NO_MARKS_DIRECTLY_INSIDE

    def skipped(self, data):
        self.out.append(data)

    def text(self, data):
        start, end = self.position, self.position + len(data)
        self.position = end
        cursor = start
        if self._unmarkable():
            self.out.append(escape(data, quote=False))
            while self.next_piece < len(self.pieces) and self.pieces[self.next_piece].end <= end:
                self.next_piece += 1
            return
        while self.next_piece < len(self.pieces) and self.pieces[self.next_piece].start < end:
            piece = self.pieces[self.next_piece]
            left, right = max(piece.start, cursor), min(piece.end, end)
            if left > cursor:
                self.out.append(escape(data[cursor - start : left - start], quote=False))
            self.out.append(self._mark(data[left - start : right - start], piece))
            cursor = right
            if piece.end > end:  # the piece goes on in the next text node
                break
            self.next_piece += 1
        if cursor < end:
            self.out.append(escape(data[cursor - start :], quote=False))

    def _mark(self, text, piece):
        if self.compact:  # how many notes cover the words, and which of them are the reader's own
            own = f' data-annotations="{" ".join(piece.ids)}" class="mine"' if piece.ids else ""
            return f'<mark data-count="{piece.count}"{own}>{escape(text, quote=False)}</mark>'
        css = ' class="mine"' if self.mine and any(ident in self.mine for ident in piece.ids) else ""
        return f'<mark data-annotations="{" ".join(piece.ids)}"{css}>{escape(text, quote=False)}</mark>'


def highlight(html, ranges, mine=frozenset(), *, compact=False):
    """Return `html` with marks around `ranges`: (start, end, annotation id) in code points.

    `mine` holds the ids of the viewer's own notes; their marks get class="mine". Each mark lists
    the ids of the notes covering its words (data-annotations); `compact` marks say instead how
    many notes cover them (data-count) and list only the viewer's own, so a paragraph under
    hundreds of overlapping notes stays small: the reading page asks for the others on a click.
    """
    mine = {str(ident) for ident in mine}
    pieces = segments(ranges, only=mine if compact else None)
    if not pieces:
        return html
    marker = _Marker(pieces, mine, compact)
    marker.feed(html)
    marker.close()
    return "".join(marker.out)
