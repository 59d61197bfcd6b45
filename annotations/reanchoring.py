"""The one re-anchoring engine: after the text changes, find each note's passage again.

Every change of an article's text (an import, the admin, the curator's editor, a revert) runs
it in the transaction that made the change (see `receivers`), and the curator's editor runs
it without writing (`preview`) to say what a change would do. For each note with a passage,
in order:

1. the position still holds: its paragraph's text is as it was → unchanged;
2. its words followed: the old and new texts are compared (`Alignment`), and where the note's
   first and last words were kept, its place is between them. The same words (white space
   aside) → moved, exactly; other words between them (an edit inside the quote) → moved when
   they score high, suggested when middling;
3. the same words where the change brought them (a moved, split, merged or rewritten
   paragraph), never on old text that was another passage (the same phrase said elsewhere),
   with the best context, then the nearest; with too little context left, or two equally good
   places → suggested;
4. similar words near its place, found by an approximate matcher with an error bound (edlib,
   Myers' bit-parallel algorithm, in its infix mode), scored as Hypothesis scores them (quote
   50, prefix 20, suffix 20, position 2) → moved when the score is high, its ends are the
   quote's and no rival comes close; suggested when middling;
5. otherwise → orphaned: kept with its quote, listed for its author, never deleted.

"The words" are those the note marked before the change (or, for a note not placed, the quote
it was written on); the note keeps its stored quote, the words it was written about, whatever
it marks now.

A wrong placement is worse than an orphan. The thresholds were chosen on the edit corpus in
tests/benchmarks (`make bench`: 280 edits of 14 kinds, 528 notes on two articles), where each
value below places no note wrong:

- MOVE_AT = 0.80: no note is placed wrong anywhere from 0.70 to 0.90; below 0.80 nothing more
  is placed right, above it typos and one-word changes inside long quotes turn into
  suggestions (5 more at 0.85, 12 at 0.90). 0.80 is kept: lower gains nothing on the corpus
  and would only let less alike words move a note (at 0.80, a quote about 60% alike with its
  context intact).
- SUGGEST_AT = 0.55: from 0.40 to 0.55 the corpus is the same; a suggestion below it would
  offer words less than half like the quote, which helps no author.
- CONTEXT_AT = 0.5: at 0 (any context) one note on a repeated phrase was moved onto another
  occurrence; 0.25 to 0.75 place none wrong.
- MIN_KEPT = 8 (annotations/aligning.py): stretches of 3 to 16 characters place none wrong now
  that a note's first and last words must be kept whole; before that rule, 2- and 3-letter coincidences ("in ", "of ")
  inside a rewritten sentence carried notes onto the wrong words.
- MAX_ERROR_RATE = 0.35 and RIVAL_MARGIN = 0.02 are as they were: the corpus never reaches them.
"""

import math
from dataclasses import dataclass, field

import edlib
import regex
from django.db.models import F, Q

from annotations.aligning import Alignment, encode
from annotations.anchoring import SEPARATOR, ArticleText, common_prefix, common_suffix, squeeze
from annotations.models import Annotation

# Scores run from 0 to 1, weighted as Hypothesis weighs them: quote 50, prefix 20, suffix 20,
# position 2. Chosen from the edit corpus (tests/benchmarks/reanchoring_corpus.py).
MOVE_AT = 0.80
SUGGEST_AT = 0.55
WEIGHTS = {"quote": 50, "prefix": 20, "suffix": 20, "position": 2}
# An approximate match may differ from the quote in at most this share of its characters.
MAX_ERROR_RATE = 0.35
# Similar words are looked for this far around where the note was; for a note not placed
# before, the whole article is searched when it is no longer than FUZZY_WHOLE_ARTICLE characters.
FUZZY_WINDOW = 4_000
FUZZY_WHOLE_ARTICLE = 200_000
MAX_LOCATIONS = 20
# An exact match away from the note's place moves it only when this share of its old context
# (prefix and suffix, white space aside) is still around it.
CONTEXT_AT = 0.5
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
    left_as_is: bool = False  # a note not placed, which the change did not concern


def spot(passage, score=None):
    """A passage as JSON: keys, offsets, the words and their context (and a score, for a candidate)."""
    data = {
        "start_key": passage.start.key,
        "start_offset": passage.start_offset,
        "end_key": passage.end.key,
        "end_offset": passage.end_offset,
        "text": passage.exact,
        "prefix": passage.prefix,
        "suffix": passage.suffix,
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
        self._alignment = None
        self._encoded = None
        self._new_text = None

    @property
    def alignment(self):
        if self._alignment is None:
            self._alignment = Alignment(self.before, self.after)
        return self._alignment

    # The whole run --------------------------------------------------------------------------

    def run(self, notes):
        return [self.reanchor(note) for note in notes]

    @property
    def changed_keys(self):
        """The keys of the paragraphs whose text changed or went (or whose row did: removed, then written again)."""
        after = self.after.by_key

        def changed(p):
            now = after.get(p.key)
            return now is None or now.text != p.text or getattr(now, "pk", None) not in (None, getattr(p, "pk", None))

        return [p.key for p in self.before.paragraphs if changed(p)]

    def reanchor(self, note):
        key = note.start_key
        if (
            note.anchor_status == ANCHORED
            and key == note.end_key
            and key in self.after.by_key
            and self.old_texts.get(key) == self.after.by_key[key].text
        ):
            return Outcome(note, UNCHANGED, "position")  # its paragraph's text is as it was
        if note.anchor_status != ANCHORED:
            if self._gone(note):
                return self._in_new_text(note)
            if self._untouched(note):
                return Outcome(note, note.anchor_status, left_as_is=True)
        was = self._was(note)
        followed = self._followed(was) if "span" in was else None
        if followed is not None and followed.status == ANCHORED:
            return self._settled(note, was, followed)
        if "span" not in was and note.anchor_status == ANCHORED and self._holds(note, was):
            return Outcome(note, UNCHANGED, "position", source=was)
        near, region = self._expected(note)
        old = was.get("span")
        found = self._search(was, near, region, old)
        if found.status == ORPHANED and followed is not None:
            found = followed  # the words edited in place, not sure enough to move the note: suggested
        return self._settled(note, was, found)

    def _search(self, was, near, region, old=None, within=None):
        """The note's words looked for as they are (step 3), then as similar words (step 4)."""
        quote, prefix, suffix = was["text"], was["prefix"], was["suffix"]
        found = self._exact(quote, prefix, suffix, near, region, old, within=within)
        if found is None or found.status != ANCHORED:
            fuzzy = self._fuzzy(quote, prefix, suffix, near, region, old, within=within)
            if found is None or fuzzy.status == ANCHORED:
                found = fuzzy
        return found

    def _gone(self, note):
        """Whether a note's paragraphs were gone before this change (it was orphaned by an earlier one)."""
        return note.start_key not in self.before.by_key or note.end_key not in self.before.by_key

    @property
    def new_text(self):
        """[(start, end)] of the new running text's paragraphs this change wrote (new or changed)."""
        if self._new_text is None:
            old = self.old_texts
            self._new_text = [
                (self.after.point(p, 0), self.after.point(p, len(p.text)))
                for p in self.after.paragraphs
                if old.get(p.key) != p.text
            ]
        return self._new_text

    def _in_new_text(self, note):
        """A note whose paragraphs went in an earlier change is looked for in what this change wrote.

        Text that was there before was there when the note was last looked for; searching only
        the new text keeps an edit's cost to the size of the edit, however many old orphans.
        """
        was = self._was(note)
        found = self._search(was, None, None, within=self.new_text) if self.new_text else None
        if found is None or found.status == ORPHANED or (found.status == SUGGESTED and self._untouched(note)):
            return Outcome(note, note.anchor_status, left_as_is=True, source=was)
        return self._settled(note, was, found)

    def _untouched(self, note):
        """Whether the change left alone every paragraph a suggested or orphaned note concerns.

        That is the paragraphs of its old place and of each place suggested for it: the change
        has told nothing new about where it belongs, so it stays as it is, candidates and all.
        """
        places = [(note.start_key, note.end_key)]
        places += [(c.get("start_key"), c.get("end_key")) for c in note.anchor_candidates or [] if isinstance(c, dict)]
        return all(self._same_paragraphs(start, end) for start, end in places)

    def _same_paragraphs(self, start_key, end_key):
        before, after = self.before, self.after
        if any(key not in before.index_of or key not in after.index_of for key in (start_key, end_key)):
            return False
        old = before.paragraphs[before.index_of[start_key] : before.index_of[end_key] + 1]
        new = after.paragraphs[after.index_of[start_key] : after.index_of[end_key] + 1]
        return [(p.key, p.text) for p in old] == [(p.key, p.text) for p in new]

    def _settled(self, note, was, found):
        found.note, found.source = note, was
        exact_here = found.method == "exact" and found.status == ANCHORED and self._same_place(note, found.passage)
        if exact_here and note.anchor_status == ANCHORED:
            found.status = UNCHANGED
        return found

    def _followed(self, was):
        """Where the note's first and last characters went, if both are still there.

        The same words (white space aside) there → moved, exactly. Other words between them
        (an edit inside the quote) → moved when they are like enough, suggested when less so.
        None when an end went (a rewritten or deleted stretch), or the words are too unlike.
        """
        quote, (old_start, old_end) = was["text"], was["span"]
        tokens = _TOKEN.findall(quote)
        if not tokens:
            return None
        # Its first and last words must be kept whole: an end kept by a letter or two (a word
        # rewritten into one that happens to end alike) is no sure end.
        first = old_start + quote.index(tokens[0])
        last = old_start + quote.rindex(tokens[-1])
        start = self.alignment.kept(old_start, first + len(tokens[0]))
        end = self.alignment.kept(last, old_end)
        after = self.after
        if start is None or end is None:
            return None
        end += old_end - last
        if end <= start or not (after.on_edge(start) and after.on_edge(end)):
            return None
        found = after.text[start:end]
        if found == quote or _norm(found) == _norm(quote):
            return Outcome(None, ANCHORED, "exact", after.passage(start, end), 1.0)
        if found.count(SEPARATOR) != quote.count(SEPARATOR):
            return None  # a paragraph came or went inside the passage: not an edit of its words
        score = self._score(quote, was["prefix"], was["suffix"], start, (start, end))
        if score >= MOVE_AT:
            return Outcome(None, ANCHORED, "fuzzy", after.passage(start, end), score)
        if score >= SUGGEST_AT:
            return Outcome(None, SUGGESTED, "fuzzy", score=score, candidates=[(after.passage(start, end), score)])
        return None

    # Where the note was -------------------------------------------------------------------------

    def _was(self, note):
        """The words a note marked before the change, with their context, or its stored quote.

        For a note that was placed, "span" is where its words were in the old running text.
        """
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
                start = self.before.point(passage.start, passage.start_offset)
                span = (start, start + len(passage.exact))
                return {**was, "text": passage.exact, "prefix": passage.prefix, "suffix": passage.suffix, "span": span}
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
        start = after.point(after.by_key[previous.key], 0) if previous else 0
        end = after.point(after.by_key[following.key], 0) if following else len(after.text)
        if end < start:
            return start, None
        return start, (start, end)

    # Exact --------------------------------------------------------------------------------------

    def _exact(self, quote, prefix, suffix, near, region, old=None, within=None):
        """The quote where the new text has it, but not on old text that was some other passage.

        A match on words that were already there, at another place, is another passage (often
        another note's): the same phrase said twice. So a note is only moved onto words the
        change brought (a moved, split, merged or rewritten paragraph), and only when enough of
        its context came with them; otherwise it is suggested.
        """
        if not quote.strip():
            return Outcome(None, ORPHANED)
        matches = [
            m
            for m in self._find(quote)
            if self.after.on_edge(m[0]) and self.after.on_edge(m[1]) and not self.alignment.elsewhere(m, old)
        ]
        if within is not None:
            matches = [m for m in matches if any(low <= m[0] and m[1] <= high for low, high in within)]
        if not matches:
            return None
        context = {m: self._context(m, prefix, suffix) for m in matches}
        if region is not None and (inside := [m for m in matches if region[0] <= m[0] and m[1] <= region[1]]):
            matches = inside
        ranked = sorted(matches, key=lambda m: (-context[m], _distance(m, near)))
        best = ranked[0]
        tied = [m for m in ranked if context[m] == context[best]]
        if len(tied) > 1 or context[best] < CONTEXT_AT * (len(_norm(prefix)) + len(_norm(suffix))):
            candidates = [(self.after.passage(*m), 1.0) for m in ranked[:MAX_CANDIDATES]]
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
            self._squeezed = squeeze(text)
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
        return common_suffix(_norm(before), _norm(prefix)) + common_prefix(_norm(after), _norm(suffix))

    # Fuzzy --------------------------------------------------------------------------------------

    def _fuzzy(self, quote, prefix, suffix, near, region, old=None, within=None):
        text = self.after.text
        windows = []
        if within is not None:  # given stretches of text, each widened by the quote's length
            windows = [(max(0, low - len(quote)), min(len(text), high + len(quote))) for low, high in within]
        elif region is not None:
            windows.append((max(0, region[0] - FUZZY_WINDOW), min(len(text), region[1] + FUZZY_WINDOW)))
        elif near is not None:
            windows.append((max(0, near - FUZZY_WINDOW), min(len(text), near + FUZZY_WINDOW)))
        # A placed note's words, if anywhere, are near its place: away from it, only new text could
        # hold them (old text elsewhere is excluded), and that is too rare to search the article for.
        whole = old is None and within is None and len(text) <= FUZZY_WHOLE_ARTICLE
        if whole and (not windows or windows[0] != (0, len(text))):
            windows.append((0, len(text)))
        scored = []
        if within is not None:  # every stretch: the best of them all
            scored = sorted(
                (
                    item
                    for low, high in windows
                    for item in self._scored_matches(quote, prefix, suffix, near, low, high)
                ),
                key=lambda item: -item[1],
            )
        for low, high in [] if within is not None else windows:
            scored = self._scored_matches(quote, prefix, suffix, near, low, high, old)
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

    def _scored_matches(self, quote, prefix, suffix, near, low, high, old=None):
        """The places in text[low:high] most like the quote, as ((start, end), score), best first."""
        budget = math.floor(len(quote) * MAX_ERROR_RATE)
        if budget < 1 or len(quote) > high - low + budget:
            return []
        encoded = self._encode(quote, low, high)
        if encoded is None:
            return []
        needle, haystack = encoded
        spare = set(range(256)) - set(needle)
        mask = bytes([min(spare)]) if spare else None  # no symbol to spare: no second look for a rival
        places = {}
        # edlib gives the places with the fewest errors; masking them and asking again finds the
        # best place elsewhere, the rival a sure move must clearly beat.
        for _ in range(2):
            found = edlib.align(needle, bytes(haystack), mode="HW", task="locations", k=budget)
            if found["editDistance"] < 0:
                break
            haystack = bytearray(haystack)
            for start, end in found["locations"][:MAX_LOCATIONS]:
                haystack[start : end + 1] = (mask or b"\0") * (end + 1 - start)
                span = self._snap(quote, prefix, suffix, low + start, low + end + 1)
                if span is not None and span not in places and not self.alignment.elsewhere(span, old):
                    places[span] = self._score(quote, prefix, suffix, near, span)
            if mask is None:
                break
        ranked = sorted(places.items(), key=lambda item: -item[1])
        return [(span, score) for span, score in ranked if score > 0]

    def _encode(self, quote, low, high):
        """The quote and text[low:high] as bytes over one alphabet of at most 256 symbols (edlib's limit).

        The new text is encoded once, each of its characters as its own byte when it has at most
        255 kinds of character; otherwise (and for a quote with more kinds than that) per call.
        """
        if self._encoded is None:
            kinds = set(self.after.text)
            if len(kinds) <= 255:
                alphabet = {char: i for i, char in enumerate(sorted(kinds))}
                self._encoded = alphabet, bytes(alphabet[char] for char in self.after.text)
            else:
                self._encoded = False
        if self._encoded:
            alphabet, text = self._encoded
            return bytes(alphabet.get(char, 255) for char in quote), text[low:high]
        return encode(quote, self.after.text[low:high])

    def _snap(self, quote, prefix, suffix, start, end):
        """Widen an approximate match to whole words where the quote began and ended on a word's edge.

        Returns None for a span that is empty, only white space, or splits a character.
        """
        text = self.after.text
        if quote[:1].isalnum() and not prefix[-1:].isalnum():
            while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
                start -= 1
        while start < end and text[start].isspace():
            start += 1
        if quote[-1:].isalnum() and not suffix[:1].isalnum():
            while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
                end += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        # A similar passage runs over as many paragraphs as the note did: a paragraph break added
        # or removed inside it is not an edit of its words.
        if end <= start or text.count(SEPARATOR, start, end) != quote.count(SEPARATOR):
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


def _similarity(a, b):
    """1 minus the edit distance between a and b over the longer's length: 1 is identical."""
    if not a and not b:
        return 1.0
    encoded = encode(a, b)
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
    """How many notes the change leaves as they were, moves, leaves for their authors, orphans.

    A note already suggested or orphaned that stays so is counted as left as it was: the
    curator is told what this change does, not what earlier ones did.
    """
    counts = {"unchanged": 0, "moved": 0, "suggested": 0, "orphaned": 0}
    for outcome in outcomes:
        stays = outcome.status in (SUGGESTED, ORPHANED) and outcome.status == outcome.note.anchor_status
        if outcome.status == UNCHANGED or stays:
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
    if outcome.left_as_is:
        return None
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
