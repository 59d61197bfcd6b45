"""The one re-anchoring engine: after the text changes, find each note's passage again.

Every change of an article's text (an import, the admin, the curator's editor, a revert) runs
it in the transaction that made the change (see `receivers`), and the curator's editor runs
it without writing (`preview`) to say what a change would do. For each note with a passage,
in order:

1. the position still holds: the same words at the same place → unchanged;
2. the same words in the same paragraph (the best context, then the nearest) → moved;
3. the same words elsewhere in the article (the best context, then the nearest; two equally
   good places are left for the author to choose) → moved, or suggested;
4. similar words, found by an approximate matcher with an error bound (edlib, as Myers'
   bit-parallel algorithm, in its infix mode), scored on the quote, its prefix, its suffix
   and the distance from where the note was → moved when the score is high, suggested when
   it is middling;
5. otherwise → orphaned: kept with its quote, listed for its author, never deleted.

A wrong placement is worse than an orphan: the thresholds (MOVE_AT, SUGGEST_AT) are the ones
the edit corpus in tests/benchmarks places nothing wrong with. "The words" are those the note
marked before the change (or, for a note not placed, the quote it was written on); the note
keeps its stored quote, the words it was written about, whatever it marks now.
"""

import math
from dataclasses import dataclass, field

import edlib
import regex
from django.db.models import F, Q

from annotations.anchoring import SEPARATOR, ArticleText
from annotations.models import Annotation

# Scores run from 0 to 1, weighted as Hypothesis weighs them: quote 50, prefix 20, suffix 20,
# position 2. Chosen from the edit corpus (tests/benchmarks/reanchoring_corpus.py).
MOVE_AT = 0.80
SUGGEST_AT = 0.55
WEIGHTS = {"quote": 50, "prefix": 20, "suffix": 20, "position": 2}
# An approximate match may differ from the quote in at most this share of its characters.
MAX_ERROR_RATE = 0.35
# Similar words are looked for this far around where the note was; the whole article is
# searched when it is no longer than FUZZY_WHOLE_ARTICLE characters.
FUZZY_WINDOW = 4_000
FUZZY_WHOLE_ARTICLE = 200_000
MAX_LOCATIONS = 20
# A match this close in score to a good match elsewhere is not sure enough to move the note.
RIVAL_MARGIN = 0.02
MAX_CANDIDATES = 3

ANCHORED = Annotation.AnchorStatus.ANCHORED
SUGGESTED = Annotation.AnchorStatus.SUGGESTED
ORPHANED = Annotation.AnchorStatus.ORPHANED
UNCHANGED = "unchanged"


@dataclass
class Outcome:
    """What becomes of one note: UNCHANGED, or a new status with its passage or candidates."""

    note: object
    status: str
    method: str = "none"
    passage: object = None  # anchoring.Passage, where the note now is (moved)
    score: float | None = None
    candidates: list = field(default_factory=list)  # Passages with their scores, for a suggestion
    source: dict = field(default_factory=dict)  # where the note was, and the words it marked

    @property
    def moved(self):
        return self.status == ANCHORED


def spot(passage, score=None):
    """A passage as JSON: keys, offsets and the words (and a score, for a candidate)."""
    data = {
        "start_key": passage.start.key,
        "start_offset": passage.start_offset,
        "end_key": passage.end.key,
        "end_offset": passage.end_offset,
        "text": passage.exact,
    }
    if score is not None:
        data["score"] = round(score, 3)
    return data


class Engine:
    """Re-finds notes after the text changed from `before` to `after` (lists of paragraphs)."""

    def __init__(self, before, after):
        self.before = ArticleText(before)
        self.after = ArticleText(after)
        self.old_texts = {paragraph.key: paragraph.text for paragraph in self.before.paragraphs}
        self._squeezed = None

    # The whole run --------------------------------------------------------------------------

    def run(self, notes):
        return [self.reanchor(note) for note in notes]

    @property
    def changed_keys(self):
        """The keys of the paragraphs whose text changed or went."""
        after = self.after.by_key
        return [key for key, text in self.old_texts.items() if key not in after or after[key].text != text]

    def reanchor(self, note):
        key = note.start_key
        if (
            note.anchor_status == ANCHORED
            and key == note.end_key
            and key in self.after.by_key
            and self.old_texts.get(key) == self.after.by_key[key].text
        ):
            return Outcome(note, UNCHANGED, "position")  # its paragraph's text is as it was
        was = self._was(note)
        if note.anchor_status == ANCHORED and self._holds(note, was):
            return Outcome(note, UNCHANGED, "position", source=was)
        quote, prefix, suffix = was["text"], was["prefix"], was["suffix"]
        near, region = self._expected(note)
        found = self._exact(quote, prefix, suffix, near, region)
        if found is None:
            found = self._fuzzy(quote, prefix, suffix, near, region)
        found.note, found.source = note, was
        exact_here = found.method == "exact" and found.status == ANCHORED and self._same_place(note, found.passage)
        if exact_here and note.anchor_status == ANCHORED:
            found.status = UNCHANGED
        return found

    # Where the note was -------------------------------------------------------------------------

    def _was(self, note):
        """The words a note marked before the change, with their context, or its stored quote."""
        was = {
            "start_key": note.start_key,
            "start_offset": note.start_offset,
            "end_key": note.end_key,
            "end_offset": note.end_offset,
        }
        if note.anchor_status == ANCHORED:
            try:
                passage = self.before.by_position(note.start_key, note.start_offset, note.end_key, note.end_offset)
            except ValueError:
                passage = None
            if passage is not None:
                return {**was, "text": passage.exact, "prefix": passage.prefix, "suffix": passage.suffix}
        return {**was, "text": note.quote_exact, "prefix": note.quote_prefix, "suffix": note.quote_suffix}

    def _holds(self, note, was):
        """Whether the note's words are still at its place, and nothing before them in its paragraph moved them."""
        after = self.after
        if note.start_key not in after.by_key or note.end_key not in after.by_key:
            return False
        try:
            passage = after.by_position(note.start_key, note.start_offset, note.end_key, note.end_offset)
        except ValueError:
            return False
        if passage.exact != was["text"]:
            return False
        old = self.old_texts.get(note.start_key)
        new = after.by_key[note.start_key].text
        # Same words at the same offsets: the place holds unless the text before them changed and
        # the words occur again in the paragraph (then the context decides, in the exact search).
        return old is not None and (
            old[: note.start_offset] == new[: note.start_offset] or new.count(passage.exact) == 1
        )

    def _same_place(self, note, passage):
        return (note.start_key, note.start_offset, note.end_key, note.end_offset) == (
            passage.start.key,
            passage.start_offset,
            passage.end.key,
            passage.end_offset,
        )

    def _expected(self, note):
        """(where the note should be in the new running text, the span of its own paragraphs there).

        A paragraph that kept its key is the note's own. One that went is looked for between
        the nearest paragraphs before and after it that are still there.
        """
        after, before = self.after, self.before
        if note.start_key in after.by_key and note.end_key in after.by_key:
            start = after.point(after.by_key[note.start_key], 0)
            end_paragraph = after.by_key[note.end_key]
            end = after.point(end_paragraph, len(end_paragraph.text))
            if start <= end:
                offset = min(note.start_offset or 0, len(after.by_key[note.start_key].text))
                return start + offset, (start, end)
        index = before.index_of.get(note.start_key)
        if index is None:  # the note's paragraph was gone before this change (an orphan)
            return None, None
        end_index = before.index_of.get(note.end_key, index)
        previous = next(
            (p for p in reversed(before.paragraphs[:index]) if p.key in after.by_key and p.key != note.start_key),
            None,
        )
        following = next((p for p in before.paragraphs[end_index + 1 :] if p.key in after.by_key), None)
        start = after.point(after.by_key[previous.key], len(after.by_key[previous.key].text)) if previous else 0
        end = after.point(after.by_key[following.key], 0) if following else len(after.text)
        if end < start:
            return start, None
        return start, (start, end)

    # Exact --------------------------------------------------------------------------------------

    def _exact(self, quote, prefix, suffix, near, region):
        if not quote.strip():
            return Outcome(None, ORPHANED)
        matches = [m for m in self._find(quote) if self.after.on_edge(m[0]) and self.after.on_edge(m[1])]
        if not matches:
            return None
        if region is not None:
            inside = [m for m in matches if region[0] <= m[0] and m[1] <= region[1]]
            if inside:
                best = max(inside, key=lambda m: (self._context(m, prefix, suffix), -_distance(m, near)))
                return Outcome(None, ANCHORED, "exact", self.after.passage(*best), 1.0)
        ranked = sorted(matches, key=lambda m: (-self._context(m, prefix, suffix), _distance(m, near)))
        best = ranked[0]
        if len(ranked) > 1 and self._context(ranked[1], prefix, suffix) == self._context(best, prefix, suffix):
            tied = [m for m in ranked if self._context(m, prefix, suffix) == self._context(best, prefix, suffix)]
            candidates = [(self.after.passage(*m), 1.0) for m in tied[:MAX_CANDIDATES]]
            return Outcome(None, SUGGESTED, "exact", score=1.0, candidates=candidates)
        return Outcome(None, ANCHORED, "exact", self.after.passage(*best), 1.0)

    def _find(self, quote):
        """Every (start, end) of the quote in the new text; whitespace-insensitive when it is not there as is."""
        text = self.after.text
        found = []
        start = text.find(quote)
        while start != -1:
            found.append((start, start + len(quote)))
            start = text.find(quote, start + 1)
        if found:
            return found
        if self._squeezed is None:
            self._squeezed = _squeeze(text)
        squeezed, where = self._squeezed
        needle = " ".join(quote.split())
        if not needle:
            return []
        found, start = [], squeezed.find(needle)
        while start != -1:
            found.append((where[start], where[start + len(needle) - 1] + 1))
            start = squeezed.find(needle, start + 1)
        return found

    def _context(self, match, prefix, suffix):
        """How many characters of the old prefix and suffix the new text still has around `match`."""
        start, end = match
        text = self.after.text
        before = text[max(0, start - len(prefix)) : start]
        after = text[end : end + len(suffix)]
        return _common_suffix(_norm(before), _norm(prefix)) + _common_prefix(_norm(after), _norm(suffix))

    # Fuzzy --------------------------------------------------------------------------------------

    def _fuzzy(self, quote, prefix, suffix, near, region):
        text = self.after.text
        windows = []
        if region is not None:
            windows.append((max(0, region[0] - FUZZY_WINDOW), min(len(text), region[1] + FUZZY_WINDOW)))
        elif near is not None:
            windows.append((max(0, near - FUZZY_WINDOW), min(len(text), near + FUZZY_WINDOW)))
        if len(text) <= FUZZY_WHOLE_ARTICLE and (not windows or windows[0] != (0, len(text))):
            windows.append((0, len(text)))
        scored = []
        for low, high in windows:
            scored = self._scored_matches(quote, prefix, suffix, near, low, high)
            if scored and scored[0][1] >= MOVE_AT:
                break
        scored = [(span, score) for span, score in scored if score >= SUGGEST_AT]
        if not scored:
            return Outcome(None, ORPHANED)
        best, score = scored[0]
        # A rival is a good match somewhere else: a span overlapping the best is the same place found twice.
        scored = [scored[0], *[(span, value) for span, value in scored[1:] if not _overlap(span, best)]]
        runner_up = scored[1][1] if len(scored) > 1 else 0
        sure = (
            score >= MOVE_AT and score - runner_up > RIVAL_MARGIN and _ends_agree(quote, self.after.text[slice(*best)])
        )
        if sure:
            return Outcome(None, ANCHORED, "fuzzy", self.after.passage(*best), score)
        candidates = [(self.after.passage(*span), value) for span, value in scored[:MAX_CANDIDATES]]
        return Outcome(None, SUGGESTED, "fuzzy", score=score, candidates=candidates)

    def _scored_matches(self, quote, prefix, suffix, near, low, high):
        """The places in text[low:high] most like the quote, as ((start, end), score), best first."""
        text = self.after.text
        budget = math.floor(len(quote) * MAX_ERROR_RATE)
        if budget < 1 or len(quote) > high - low + budget:
            return []
        encoded = _encode(quote, text[low:high])
        if encoded is None:
            return []
        needle, haystack = encoded
        places = {}
        # edlib gives the places with the fewest errors; masking them and asking again finds the
        # best place elsewhere, the rival a sure move must clearly beat.
        for _ in range(2):
            found = edlib.align(needle, bytes(haystack), mode="HW", task="locations", k=budget)
            if found["editDistance"] < 0:
                break
            haystack = bytearray(haystack)
            for start, end in found["locations"][:MAX_LOCATIONS]:
                haystack[start : end + 1] = bytes([len(set(needle))]) * (end + 1 - start)
                span = self._snap(quote, low + start, low + end + 1)
                if span is not None and span not in places:
                    places[span] = self._score(quote, prefix, suffix, near, span)
        ranked = sorted(places.items(), key=lambda item: -item[1])
        return [(span, score) for span, score in ranked if score > 0]

    def _snap(self, quote, start, end):
        """Widen or narrow an approximate match to whole words where the quote is whole words.

        Returns None for a span that is empty, only white space, or splits a character.
        """
        text = self.after.text
        if quote[:1].isalnum():
            while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
                start -= 1
        while start < end and text[start].isspace():
            start += 1
        if quote[-1:].isalnum():
            while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
                end += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start or (SEPARATOR in text[start:end] and SEPARATOR not in quote and "\n" not in quote):
            return None
        if not (self.after.on_edge(start) and self.after.on_edge(end)):
            return None
        return start, end

    def _score(self, quote, prefix, suffix, near, span):
        start, end = span
        text = self.after.text
        scores = {
            "quote": _similarity(quote, text[start:end]),
            "prefix": _similarity(prefix, text[max(0, start - len(prefix)) : start]) if prefix else 1.0,
            "suffix": _similarity(suffix, text[end : end + len(suffix)]) if suffix else 1.0,
            "position": 1 - min(1, _distance(span, near) / max(1, len(text))),
        }
        if scores["quote"] < 1 - MAX_ERROR_RATE:
            return 0
        return sum(WEIGHTS[name] * value for name, value in scores.items()) / sum(WEIGHTS.values())


_TOKEN = regex.compile(r"\w+|\S")


def _ends_agree(quote, found):
    """Whether the found words begin and end as the quote does (the same first and last word).

    An edit inside a quote leaves its ends; a match whose end is some other word has most
    likely stopped short of, or run past, the passage: its author should check it.
    """
    a, b = _TOKEN.findall(quote), _TOKEN.findall(found)
    return bool(a and b) and a[0] == b[0] and a[-1] == b[-1]


def _overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]


def _distance(match, near):
    return abs(match[0] - near) if near is not None else 0


def _norm(text):
    return " ".join(text.split()) if text.strip() else ""


def _squeeze(text):
    """Collapse white space runs to one space; return the new text and each character's old index."""
    chars, where = [], []
    for index, char in enumerate(text):
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            char = " "
        chars.append(char)
        where.append(index)
    return "".join(chars), where


def _common_prefix(a, b):
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a, b):
    return _common_prefix(a[::-1], b[::-1])


def _encode(needle, haystack):
    """Both strings as bytes over one small alphabet, as edlib needs (at most 256 symbols).

    Each character of the needle gets its own symbol; every other character of the haystack,
    which can only ever be a mismatch, shares one. None when the needle alone has too many.
    """
    alphabet = {char: i for i, char in enumerate(dict.fromkeys(needle))}
    if len(alphabet) > 255:
        return None
    other = len(alphabet)
    return bytes(alphabet[char] for char in needle), bytes(alphabet.get(char, other) for char in haystack)


def _similarity(a, b):
    """1 minus the edit distance between a and b over the longer's length: 1 is identical."""
    if not a and not b:
        return 1.0
    encoded = _encode(a, b)
    if encoded is None:
        return 1.0 if a == b else 0.0
    distance = edlib.align(*encoded, mode="NW", task="distance")["editDistance"]
    return max(0.0, 1 - distance / max(len(a), len(b)))


# Applying the outcomes ------------------------------------------------------------------------


def notes_to_check(article, engine):
    """The notes on `article` the change may concern: on a changed paragraph, across paragraphs, or not placed."""
    changed = engine.changed_keys
    return (
        Annotation.objects.filter(article=article)
        .exclude(start_key="")
        .filter(
            Q(start_key__in=changed) | Q(end_key__in=changed) | ~Q(start_key=F("end_key")) | ~Q(anchor_status=ANCHORED)
        )
        .only(
            "pk",
            "author_id",
            "article_id",
            "anchor_status",
            "anchor_candidates",
            "start_key",
            "start_offset",
            "end_key",
            "end_offset",
            "start_paragraph_id",
            "end_paragraph_id",
            "quote_exact",
            "quote_prefix",
            "quote_suffix",
            "deleted",
        )
    )


def preview(article, after):
    """What re-anchoring would do if the article's text became `after` (unsaved paragraphs): counts only."""
    engine = Engine(list(article.paragraphs.all()), after)
    outcomes = engine.run(notes_to_check(article, engine))
    return summarise(outcomes)


def summarise(outcomes):
    counts = {"unchanged": 0, "moved": 0, "suggested": 0, "orphaned": 0}
    for outcome in outcomes:
        if outcome.status == UNCHANGED:
            counts["unchanged"] += 1
        elif outcome.status == ANCHORED:
            counts["moved"] += 1
        else:
            counts[outcome.status] += 1
    return counts


def candidates_json(candidates):
    return [spot(passage, score) for passage, score in candidates]


def changed_fields(outcome):
    """The note's fields as the outcome leaves them, or None when nothing about the note changes."""
    note = outcome.note
    if outcome.status == UNCHANGED:
        if note.anchor_status == ANCHORED and not note.anchor_candidates:
            return None
        return {"anchor_status": ANCHORED, "anchor_candidates": []}
    if outcome.status == ANCHORED:
        place = outcome.passage.as_fields()
        for name in ("quote_exact", "quote_prefix", "quote_suffix"):
            del place[name]  # the note keeps the words it was written about
        return {**place, "anchor_status": ANCHORED, "anchor_candidates": []}
    candidates = candidates_json(outcome.candidates)
    if note.anchor_status == outcome.status and note.anchor_candidates == candidates:
        return None
    return {"anchor_status": outcome.status, "anchor_candidates": candidates}
