"""The difference between two texts of an article: paragraphs aligned, then changed ones word by word.

Paragraphs are aligned first, in linear time: by key (a corrected paragraph keeps its key),
then an unmatched paragraph by its identical content (one that came back under a new key).
A paragraph whose partner sits out of order is marked moved: the longest increasing run of
partners stays in place (O(n log n)), the rest moved. Only the pairs whose text differs are
then compared word by word, with Myers's O((N + M) D) algorithm on words, after the common
head and tail are cut off. Every step of that comparison is paid from one `Budget` per
comparison; a pair that would cost more than its share, or than what is left, is shown as
its whole old text removed and its whole new text added. So no input, however long or
hostile, costs more than linear work plus the budget.

Texts are compared as the reader sees them (a paragraph's `text`, not its HTML); what comes
out is plain text for the template to escape.
"""

import re
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass, field

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"

# Words, runs of white space, and single other characters (punctuation): the units a reader
# sees change. A long run of one character class is still one token, so tokens ≤ characters.
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

WORD = re.compile(r"\w")
SENTENCE_ENDS = {".", "!", "?", ";", ":", ","}

# The work one comparison may do (steps of Myers's algorithm, summed over every pair), and the
# most edits one pair may have before it is shown as removed and added whole.
COMPARISON_BUDGET = 1_000_000
MAX_EDITS = 400


@dataclass(frozen=True)
class Piece:
    op: str  # EQUAL, DELETE or INSERT
    text: str


@dataclass
class Row:
    """One paragraph of the comparison: in both texts (same or changed), or in one only."""

    kind: str  # SAME, CHANGED, ADDED or REMOVED
    old: object = None
    new: object = None
    moved: bool = False
    pieces: list = field(default_factory=list)  # for CHANGED: the words, kept, removed and added
    whole: bool = False  # CHANGED, but too long to compare word by word: old removed, new added

    @property
    def formatting_only(self):
        """Changed in its source (emphasis, a link) while the words read the same."""
        return self.kind == CHANGED and all(piece.op == EQUAL for piece in self.pieces) and not self.whole


@dataclass
class Unchanged:
    """A run of paragraphs that read the same in both texts, in the same order: shown collapsed."""

    rows: list
    kind: str = "unchanged"


@dataclass
class Comparison:
    sections: list  # Row and Unchanged, in reading order
    changed: int = 0
    added: int = 0
    removed: int = 0
    moved: int = 0

    @property
    def identical(self):
        return not (self.changed or self.added or self.removed or self.moved)


class Budget:
    """Steps of work left for one comparison."""

    def __init__(self, steps=COMPARISON_BUDGET):
        self.steps = steps

    def spend(self, steps):
        self.steps -= steps
        return self.steps >= 0


# Aligning paragraphs ----------------------------------------------------------------------


def align(old, new, content):
    """Pair the paragraphs of two texts: a list of (old index or None, new index or None).

    By key first, then an unmatched paragraph by its content (`content(paragraph)`), in order.
    Pairs come in the new text's order; old paragraphs left unpaired come last.
    """
    old_by_key = {paragraph.key: i for i, paragraph in enumerate(old)}
    partner = [old_by_key.get(paragraph.key) for paragraph in new]
    used = {i for i in partner if i is not None}
    waiting = {}
    for i, paragraph in enumerate(old):
        if i not in used:
            waiting.setdefault(content(paragraph), deque()).append(i)
    for j, paragraph in enumerate(new):
        if partner[j] is None and waiting.get(content(paragraph)):
            partner[j] = waiting[content(paragraph)].popleft()
            used.add(partner[j])
    pairs = list(enumerate(partner))
    return [(i, j) for j, i in pairs] + [(i, None) for i in range(len(old)) if i not in used]


def in_place(pairs):
    """The old indices of paired paragraphs that keep their order: a longest increasing run."""
    sequence = [i for i, j in pairs if i is not None and j is not None]
    tails, tail_at, previous = [], [], [None] * len(sequence)
    for position, value in enumerate(sequence):
        at = bisect_left(tails, value)
        previous[position] = tail_at[at - 1] if at else None
        if at == len(tails):
            tails.append(value)
            tail_at.append(position)
        else:
            tails[at], tail_at[at] = value, position
    kept, position = set(), tail_at[-1] if tail_at else None
    while position is not None:
        kept.add(sequence[position])
        position = previous[position]
    return kept


# Words --------------------------------------------------------------------------------


def tokens(text):
    return TOKEN.findall(text)


def word_diff(old_text, new_text, budget):
    """The pieces that turn `old_text` into `new_text`, word by word; None beyond the budget."""
    a, b = tokens(old_text), tokens(new_text)
    budget.spend(len(a) + len(b))
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle = _edits(a[head : len(a) - tail], b[head : len(b) - tail], budget)
    if middle is None:
        return None
    ops = [(EQUAL, token) for token in a[:head]] + middle + [(EQUAL, token) for token in a[len(a) - tail :]]
    return _pieces(_slid(ops))


def _edits(a, b, budget, max_edits=MAX_EDITS):
    """Myers's shortest edit script from `a` to `b`: [(op, token)], or None past `max_edits` or the budget."""
    n, m = len(a), len(b)
    if not n or not m:
        return [(DELETE, token) for token in a] + [(INSERT, token) for token in b]
    offset = max_edits + 1
    furthest = [0] * (2 * max_edits + 3)  # furthest[k + offset]: the furthest x reached on diagonal k
    trace = []
    for d in range(max_edits + 1):
        trace.append(furthest[offset - d - 1 : offset + d + 2])
        if not budget.spend(2 * d + 1):
            return None
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and furthest[offset + k - 1] < furthest[offset + k + 1]):
                x = furthest[offset + k + 1]
            else:
                x = furthest[offset + k - 1] + 1
            y, start = x - k, x
            while x < n and y < m and a[x] == b[y]:
                x, y = x + 1, y + 1
            if not budget.spend(x - start):
                return None
            furthest[offset + k] = x
            if x >= n and y >= m:
                return _backtrack(trace, a, b)
    return None


def _backtrack(trace, a, b):
    """Walk the saved frontiers back from the end: the edit script, in order."""
    x, y, ops = len(a), len(b), []
    for d in range(len(trace) - 1, -1, -1):
        frontier = trace[d]  # diagonals -d-1 .. d+1 as they stood before round d

        def reached(k, frontier=frontier, d=d):
            return frontier[k + d + 1]

        k = x - y
        previous_k = k + 1 if k == -d or (k != d and reached(k - 1) < reached(k + 1)) else k - 1
        previous_x = reached(previous_k)
        previous_y = previous_x - previous_k
        while x > previous_x and y > previous_y:
            x, y = x - 1, y - 1
            ops.append((EQUAL, a[x]))
        if d > 0:
            ops.append((INSERT, b[previous_y]) if x == previous_x else (DELETE, a[previous_x]))
        x, y = previous_x, previous_y
    ops.reverse()
    return ops


def _slid(ops):
    """Each lone addition or removal slid along the equal words beside it to where it reads best.

    "story. A new sentence." from "story." can be read as ". A new sentence" added before the
    full stop or " A new sentence." after it; both are shortest, the second is what was done.
    A run slides while the word leaving it equals the word joining it, so the texts stay the
    same; each equal word is passed by at most the two runs beside it, so this is linear.
    """
    ops = list(ops)
    index = 0
    while index < len(ops):
        op, end = ops[index][0], index
        while end < len(ops) and ops[end][0] == op:
            end += 1
        lone = op != EQUAL and (index == 0 or ops[index - 1][0] == EQUAL) and (end == len(ops) or ops[end][0] == EQUAL)
        if lone:
            end = _slide(ops, index, end)
        index = end
    return ops


def _slide(ops, start, end):
    op = ops[start][0]
    while start > 0 and ops[start - 1][0] == EQUAL and ops[start - 1][1] == ops[end - 1][1]:
        start, end = start - 1, end - 1
        ops[start], ops[end] = (op, ops[start][1]), (EQUAL, ops[end][1])
    best, best_score, shift = 0, _reads(ops, start, end), 0
    while end + shift < len(ops) and ops[end + shift][0] == EQUAL and ops[end + shift][1] == ops[start + shift][1]:
        shift += 1
        if (score := _reads(ops, start + shift, end + shift)) > best_score:
            best, best_score = shift, score
    for k in range(start, end + shift):
        ops[k] = (op if start + best <= k < end + best else EQUAL, ops[k][1])
    return end + best


def _reads(ops, start, end):
    """How well a change at ops[start:end] reads: it starts at a space, ends a sentence, and a space follows."""
    after = ops[end][1] if end < len(ops) else " "
    return ops[start][1].isspace() + (ops[end - 1][1] in SENTENCE_ENDS) + after.isspace()


def _pieces(ops):
    """Runs of one op joined into pieces; a space or a stop alone between two changes joins the change.

    "abrupt policy" → "sudden rule" reads better as one removal and one addition than as two
    of each with a kept space between, and "then," → "so, then" better than with the comma kept.
    """
    runs = []
    for op, token in ops:
        if runs and runs[-1][0] == op:
            runs[-1][1].append(token)
        else:
            runs.append((op, [token]))
    merged = []  # [op, text] for EQUAL, or [DELETE text, INSERT text] as a change
    for index, (op, words) in enumerate(runs):
        text = "".join(words)
        between_changes = 0 < index < len(runs) - 1 and op == EQUAL and len(text) <= 3 and not WORD.search(text)
        if op == EQUAL and not between_changes:
            merged.append([EQUAL, text])
            continue
        if not merged or merged[-1][0] == EQUAL:
            merged.append(["change", "", ""])
        change = merged[-1]
        if op in (EQUAL, DELETE):
            change[1] += text
        if op in (EQUAL, INSERT):
            change[2] += text
    pieces = []
    for entry in merged:
        if entry[0] == EQUAL:
            pieces.append(Piece(EQUAL, entry[1]))
            continue
        pieces += [Piece(op, text) for op, text in ((DELETE, entry[1]), (INSERT, entry[2])) if text]
    return pieces


# The comparison ---------------------------------------------------------------------------


def compare(old, new, budget=None):
    """Compare two texts: lists of paragraphs with `key`, `text` and `source` (rendered Paragraphs).

    Rows follow the new text; a removed paragraph comes where it stood: right after the
    paragraph that stood before it and stayed in place.
    """
    budget = budget or Budget()
    pairs = align(old, new, content=lambda paragraph: paragraph.text)
    kept = in_place(pairs)
    # The old paragraphs that stay in place, in order: a removed paragraph follows the last of them before it.
    anchors = iter([i for i, j in pairs if j is not None and i in kept] + [len(old)])
    removed, rows = deque(sorted(i for i, j in pairs if j is None)), []

    def removed_before(limit):
        while removed and removed[0] < limit:
            rows.append(Row(REMOVED, old=old[removed.popleft()]))

    removed_before(next(anchors))
    for i, j in pairs:
        if j is None:
            continue
        rows.append(_row(old[i] if i is not None else None, new[j], i is not None and i not in kept, budget))
        if i in kept:
            removed_before(next(anchors))
    return _collapsed(rows)


def _row(old, new, moved, budget):
    if old is None:
        return Row(ADDED, new=new)
    if old.text == new.text and old.source == new.source:
        return Row(SAME, old=old, new=new, moved=moved)
    pieces = word_diff(old.text, new.text, budget) if old.text != new.text else [Piece(EQUAL, new.text)]
    if pieces is None:
        return Row(CHANGED, old=old, new=new, moved=moved, whole=True)
    return Row(CHANGED, old=old, new=new, moved=moved, pieces=pieces)


def _collapsed(rows):
    comparison = Comparison(sections=[])
    for row in rows:
        comparison.changed += row.kind == CHANGED
        comparison.added += row.kind == ADDED
        comparison.removed += row.kind == REMOVED
        comparison.moved += row.moved
        if row.kind == SAME and not row.moved:
            if not comparison.sections or not isinstance(comparison.sections[-1], Unchanged):
                comparison.sections.append(Unchanged(rows=[]))
            comparison.sections[-1].rows.append(row)
        else:
            comparison.sections.append(row)
    return comparison


@dataclass(frozen=True)
class Stored:
    """A paragraph as a revision stores it: its key and Markdown source."""

    key: str
    source: str


def summary(before, after):
    """Counts of paragraphs changed, added, removed and moved from one revision's [key, source] list to the next."""
    old, new = [Stored(*pair) for pair in before], [Stored(*pair) for pair in after]
    pairs = align(old, new, content=lambda paragraph: paragraph.source)
    kept = in_place(pairs)
    paired = [(i, j) for i, j in pairs if i is not None and j is not None]
    return {
        "changed": sum(old[i].source != new[j].source for i, j in paired),
        "added": sum(i is None for i, j in pairs),
        "removed": sum(j is None for i, j in pairs),
        "moved": sum(i not in kept for i, j in paired),
    }
