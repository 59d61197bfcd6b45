"""The re-anchoring edit corpus: two articles, notes on them, and edits that know where each note belongs.

Each edit is built at the level of the paragraphs' text — "replace characters a..b of this
paragraph with s", "split this paragraph at that space" — and written back into the blocks'
Markdown, checked by rendering it again. So the new text is known character by character, and
with it where every old character went: a note's place after an edit is where its first and last
characters went (`scoring.expected`). Nothing here asks the engine.

A change records whether its ends carry a note's ends (`edge`): a letter or word changed inside
a quote leaves the quote's ends on the corrected words; a rewritten or deleted stretch of text
does not, and a note that began or ended inside it has nowhere it belongs (it should orphan).
"""

import random
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import regex

from reader.rendering import render_block

ARTICLES = Path(__file__).parent / "articles"
SEED = ARTICLES / "north-korean-missile-crisis.md"
LONG = ARTICLES / "the-tide-keepers-of-varneholm.md"

WORD = regex.compile(r"\w+(?:['’]\w+)*")
SENTENCE = regex.compile(r"[^\s][^.!?]*[.!?]+[\"”’)]*")
FILLERS = ["so", "then", "indeed", "quite", "still", "certainly", "often", "rather", "perhaps", "always"]
WORDS = ["sudden", "curious", "narrow", "harbour", "gentle", "stubborn", "written", "careful", "distant", "weekly"]
LEADS = ["As the record later made plain,", "Most readers now agree that", "In the end", "By any fair account"]
TAILS = [", or so the minutes say", " in the view of most", ", whatever was said later", " beyond any doubt"]


class Unfit(Exception):
    """This choice cannot make the edit asked for; the generator tries another."""


@dataclass(frozen=True)
class Block:
    key: str
    source: str
    text: str
    kind: str


@dataclass(frozen=True)
class NoteSpec:
    start: tuple  # (paragraph index, offset)
    end: tuple
    exact: str


@dataclass
class NewParagraph:
    """A paragraph of the edited text: its Markdown, the key it continues, and where its characters came from.

    `pieces` are ("keep", old index, x, y) for old characters x..y kept in order, and
    ("new", text, origin) for new characters, where origin is (old index, a, b, edge) for a
    change of old characters a..b, or None.
    """

    source: str
    key: str | None
    pieces: list
    text: str = ""


@dataclass
class Edit:
    kind: str
    doc: str
    paragraphs: list
    single_word: bool = False
    path: str = "revise"
    moved: set = field(default_factory=set)  # old indexes of paragraphs moved whole


@dataclass
class Doc:
    name: str
    slug: str
    title: str
    blocks: list
    notes: list = field(default_factory=list)

    def keep(self, i):
        block = self.blocks[i]
        return NewParagraph(block.source, block.key, [("keep", i, 0, len(block.text))], block.text)

    def unchanged(self):
        return [self.keep(i) for i in range(len(self.blocks))]

    def notes_within(self, i):
        return [note for note in self.notes if note.start[0] == note.end[0] == i]


# Editing one paragraph's text ------------------------------------------------------------------


def _runs(block):
    return SequenceMatcher(None, block.text, block.source, autojunk=False).get_matching_blocks()


def _source_offset(runs, offset, as_end):
    for i, j, n in runs:
        if n and (i < offset <= i + n if as_end else i <= offset < i + n):
            return j + offset - i
    raise Unfit("the offset falls in markup")


def change(doc, index, changes, edge):
    """Paragraph `index` with text changes [(a, b, s)] (old a..b becomes s), as a NewParagraph."""
    block = doc.blocks[index]
    runs = _runs(block)
    source, text, pieces, kept = block.source, block.text, [], 0
    for a, b, s in sorted(changes, reverse=True):
        at_end = a == len(block.text)
        sa = _source_offset(runs, a, as_end=at_end)
        sb = sa if a == b else _source_offset(runs, b, as_end=True)
        source = source[:sa] + s + source[sb:]
        text = text[:a] + s + text[b:]
    for a, b, s in sorted(changes):
        if a > kept:
            pieces.append(("keep", index, kept, a))
        pieces.append(("new", s, (index, a, b, edge)))
        kept = b
    if kept < len(block.text):
        pieces.append(("keep", index, kept, len(block.text)))
    return checked(NewParagraph(source, block.key, pieces), text)


def checked(paragraph, text):
    """The paragraph, once its Markdown is seen to render to exactly `text`."""
    if not text.strip() or render_block(paragraph.source).text != text:
        raise Unfit("the Markdown does not render to the text the edit meant")
    paragraph.text = text
    return paragraph


def replaced(doc, index, paragraph):
    paragraphs = doc.unchanged()
    paragraphs[index] = paragraph
    return paragraphs


def words_in(text, start=0, end=None):
    end = len(text) if end is None else end
    return [(m.start(), m.end()) for m in WORD.finditer(text) if start <= m.start() and m.end() <= end]


def sentences(text):
    return [(m.start(), m.end()) for m in SENTENCE.finditer(text)]


def _note_in(rng, doc, kinds=("paragraph", "quote", "list"), words=1):
    notes = [
        note
        for note in doc.notes
        if note.start[0] == note.end[0]
        and doc.blocks[note.start[0]].kind in kinds
        and len(words_in(doc.blocks[note.start[0]].text, note.start[1], note.end[1])) >= words
    ]
    if not notes:
        raise Unfit("no note fits")
    note = rng.choice(notes)
    return note, note.start[0], doc.blocks[note.start[0]].text


def _sentence_around(text, note):
    for s, e in sentences(text):
        if s <= note.start[1] and note.end[1] <= e:
            return s, e
    raise Unfit("the note is not within one sentence")


# The kinds of edit -----------------------------------------------------------------------------


def typo_inside(rng, doc):
    note, i, text = _note_in(rng, doc)
    candidates = [(s, e) for s, e in words_in(text, note.start[1], note.end[1]) if e - s >= 4]
    if not candidates:
        raise Unfit("no long word")
    s, e = rng.choice(candidates)
    k = rng.randrange(s + 1, e - 1)
    how = rng.choice(["swap", "drop", "double", "other"])
    if how == "swap":
        if text[k] == text[k + 1]:
            raise Unfit("nothing to swap")
        edit = (k, k + 2, text[k + 1] + text[k])
    elif how == "drop":
        edit = (k, k + 1, "")
    elif how == "double":
        edit = (k, k, text[k])
    else:
        edit = (k, k + 1, "e" if text[k] != "e" else "a")
    return replaced(doc, i, change(doc, i, [edit], edge=True))


def word_before(rng, doc):
    note, i, text = _note_in(rng, doc)
    at = note.start[1]
    if at and text[at - 1] not in " \n":
        raise Unfit("the note does not start a word")
    return replaced(doc, i, change(doc, i, [(at, at, rng.choice(FILLERS) + " ")], edge=False))


def word_inside(rng, doc):
    note, i, text = _note_in(rng, doc, words=2)
    starts = [s for s, _ in words_in(text, note.start[1], note.end[1])[1:] if text[s - 1] == " "]
    if not starts:
        raise Unfit("no space inside")
    at = rng.choice(starts)
    return replaced(doc, i, change(doc, i, [(at, at, rng.choice(FILLERS) + " ")], edge=True))


def word_replaced(rng, doc):
    note, i, text = _note_in(rng, doc, words=2)
    candidates = [(s, e) for s, e in words_in(text, note.start[1], note.end[1]) if e - s >= 3]
    if not candidates:
        raise Unfit("no word to replace")
    s, e = rng.choice(candidates)
    word = rng.choice([w for w in WORDS if w != text[s:e]])
    return replaced(doc, i, change(doc, i, [(s, e, word)], edge=True))


def rewritten_around(rng, doc):
    note, i, text = _note_in(rng, doc, kinds=("paragraph",))
    s, e = _sentence_around(text, note)
    while e > s and text[e - 1] in '.!?"”’)':
        e -= 1
    changes = []
    if note.start[1] > s + 1 and text[note.start[1] - 1] == " ":
        changes.append((s, note.start[1], rng.choice(LEADS) + " "))
    if e > note.end[1] + 1 and text[note.end[1]] == " ":
        changes.append((note.end[1], e, rng.choice(TAILS)))
    if not changes:
        raise Unfit("nothing around the quote to rewrite")
    return replaced(doc, i, change(doc, i, changes, edge=False))


def sentence_deleted(rng, doc):
    note, i, text = _note_in(rng, doc, kinds=("paragraph",))
    spans = sentences(text)
    s, e = _sentence_around(text, note)
    if len(spans) < 2:
        raise Unfit("a paragraph of one sentence")
    later = [start for start, _ in spans if start >= e]
    cut = (s, later[0]) if later else (max(end for _, end in spans if end <= s), e)
    return replaced(doc, i, change(doc, i, [(*cut, "")], edge=False))


def split(rng, doc):
    i = rng.choice([n for n, block in enumerate(doc.blocks) if block.kind == "paragraph"])
    block = doc.blocks[i]
    spans = sentences(block.text)
    if len(spans) < 2:
        raise Unfit("a paragraph of one sentence")
    p, q = rng.choice([(spans[n][1], spans[n + 1][0]) for n in range(len(spans) - 1)])
    if block.text[p:q] != " ":
        raise Unfit("not one space between the sentences")
    runs = _runs(block)
    sp, sq = _source_offset(runs, p, as_end=True), _source_offset(runs, q, as_end=False)
    first = checked(NewParagraph(block.source[:sp], block.key, [("keep", i, 0, p)]), block.text[:p])
    second = checked(NewParagraph(block.source[sq:], None, [("keep", i, q, len(block.text))]), block.text[q:])
    paragraphs = doc.unchanged()
    paragraphs[i : i + 1] = [first, second]
    return paragraphs


def merged(rng, doc):
    pairs = [n for n in range(len(doc.blocks) - 1) if doc.blocks[n].kind == doc.blocks[n + 1].kind == "paragraph"]
    i = rng.choice(pairs)
    a, b = doc.blocks[i], doc.blocks[i + 1]
    pieces = [("keep", i, 0, len(a.text)), ("new", " ", None), ("keep", i + 1, 0, len(b.text))]
    paragraph = checked(NewParagraph(a.source + " " + b.source, a.key, pieces), a.text + " " + b.text)
    paragraphs = doc.unchanged()
    paragraphs[i : i + 2] = [paragraph]
    return paragraphs


def moved(rng, doc):
    i = rng.randrange(len(doc.blocks))
    to = rng.choice([n for n in range(len(doc.blocks)) if 2 <= abs(n - i) <= 12])
    paragraphs = doc.unchanged()
    paragraphs.insert(to, paragraphs.pop(i))
    return paragraphs


def heading_renamed(rng, doc):
    i = rng.choice([n for n, block in enumerate(doc.blocks) if block.kind == "heading"])
    text = doc.blocks[i].text
    how = rng.choice(["word", "word", "append", "rewrite"])
    if how == "word":
        s, e = rng.choice(words_in(text))
        return replaced(doc, i, change(doc, i, [(s, e, rng.choice(WORDS).capitalize())], edge=True))
    if how == "append":
        return replaced(doc, i, change(doc, i, [(len(text), len(text), ", revisited")], edge=False))
    return replaced(doc, i, change(doc, i, [(0, len(text), "A chapter with a new name")], edge=False))


def whitespace(rng, doc):
    note, i, text = _note_in(rng, doc, kinds=("paragraph",), words=2)
    low, high = max(0, note.start[1] - 20), min(len(text), note.end[1] + 20)
    spaces = [k for k in range(low, high) if text[k] == " " and text[k - 1] != " " and text[k + 1 : k + 2] != " "]
    if not spaces:
        raise Unfit("no space near the note")
    k = rng.choice(spaces)
    return replaced(doc, i, change(doc, i, [(k, k + 1, rng.choice(["\n", "  "]))], edge=True))


def punctuation(rng, doc):
    note, i, text = _note_in(rng, doc, kinds=("paragraph", "quote"), words=2)
    low, high = note.start[1], note.end[1]
    commas = [k for k in range(low, high) if text[k] in ",;'’"]
    options = [(k, k + 1, {",": ";", ";": ",", "'": "’", "’": "'"}[text[k]]) for k in commas]
    options += [(k, k + 1, "") for k in commas if text[k] in ",;"]
    options += [(e, e, ",") for _, e in words_in(text, low, high)[:-1] if text[e] == " "]
    if high < len(text) and text[high] in ".,":
        options.append((high, high + 1, {".": "!", ",": ";"}[text[high]]))
    if not options:
        raise Unfit("no punctuation to change")
    return replaced(doc, i, change(doc, i, [rng.choice(options)], edge=True))


def phrase_made_unique(rng, doc):
    """Every occurrence of a repeated phrase but one is reworded."""
    phrases = repeated_phrases(doc)
    if not phrases:
        raise Unfit("no repeated phrase")
    phrase = rng.choice(sorted(phrases))
    places = phrases[phrase]
    kept = rng.choice(places)
    changes = {}
    for i, s in places:
        if (i, s) != kept:
            changes.setdefault(i, []).append((s, s + len(phrase), "what was said there"))
    paragraphs = doc.unchanged()
    for i, edits in changes.items():
        paragraphs[i] = change(doc, i, edits, edge=False)
    return paragraphs


def phrase_made_ambiguous(rng, doc):
    """A sentence quoting a note's words is added to its paragraph, before or after it."""
    note, i, text = _note_in(rng, doc, kinds=("paragraph",), words=2)
    if len(note.exact) > 80:
        raise Unfit("too long to repeat")
    bounds = [s for s, _ in sentences(text) if s > 0 and text[s - 1] == " "]
    at = rng.choice([0, *bounds])
    added = f"Some readers underline {note.exact} here as well. "
    return replaced(doc, i, change(doc, i, [(at, at, added)], edge=False))


KINDS = {
    "typo fixed inside a quote": (typo_inside, True),
    "word inserted before a quote": (word_before, False),
    "word inserted inside a quote": (word_inside, True),
    "word replaced inside a quote": (word_replaced, True),
    "sentence rewritten around a quote": (rewritten_around, False),
    "quoted sentence deleted": (sentence_deleted, False),
    "paragraph split": (split, False),
    "paragraphs merged": (merged, False),
    "paragraph moved": (moved, False),
    "heading renamed": (heading_renamed, False),
    "whitespace changed": (whitespace, False),
    "punctuation changed": (punctuation, False),
    "repeated phrase made unique": (phrase_made_unique, False),
    "repeated phrase made ambiguous": (phrase_made_ambiguous, False),
}


def edits(docs, per_kind, *, seed=2006):
    """`per_kind[doc name]` edits of every kind on each doc; every third goes through a re-import."""
    rng = random.Random(seed)
    made = []
    for kind, (make, single_word) in KINDS.items():
        for doc in docs:
            for _ in range(per_kind[doc.name]):
                paragraphs = _try(rng, make, doc)
                path = "reimport" if len(made) % 3 == 2 else "revise"
                whole = _moved(paragraphs) if make is moved else set()
                made.append(Edit(kind, doc.name, paragraphs, single_word, path, whole))
    return made


def _moved(paragraphs):
    """The old index of the one paragraph out of order."""
    order = [paragraph.pieces[0][1] for paragraph in paragraphs]
    return {order[k] for k in range(len(order)) if order[:k] + order[k + 1 :] == sorted(order[:k] + order[k + 1 :])}


def _try(rng, make, doc, attempts=200):
    for _ in range(attempts):
        try:
            return make(rng, doc)
        except (Unfit, IndexError, ValueError):
            continue
    raise RuntimeError(f"could not make a {make.__name__} edit on {doc.name}")


# The notes ------------------------------------------------------------------------------------


def repeated_phrases(doc, lengths=(2, 3), most=5):
    """{phrase: [(paragraph index, offset)]} for phrases of 2 or 3 words found 2 to `most` times in prose."""
    places = {}
    for i, block in enumerate(doc.blocks):
        if block.kind != "paragraph":
            continue
        spans = words_in(block.text)
        for n in lengths:
            for k in range(len(spans) - n + 1):
                phrase = block.text[spans[k][0] : spans[k + n - 1][1]]
                if len(phrase) >= 10 and "\n" not in phrase:
                    places.setdefault(phrase, []).append((i, spans[k][0]))
    return {phrase: at for phrase, at in places.items() if 2 <= len(at) <= most and _counted(doc, phrase) == len(at)}


def _counted(doc, phrase):
    return sum(block.text.count(phrase) for block in doc.blocks)


def make_notes(doc, *, seed=1731, phrases=12):
    """Notes on whole words: a few per paragraph, some across two paragraphs, and on repeated phrases."""
    rng = random.Random(seed)
    spans = set()
    for i, block in enumerate(doc.blocks):
        found = words_in(block.text)
        if not found:
            continue
        for _ in range(max(1, min(6, len(found) // 10))):
            first = rng.randrange(len(found))
            last = min(len(found) - 1, first + rng.choice([0, 1, 2, 3, 4, 6, 9, 14, 20]))
            while last + 1 < len(found) and found[last][1] - found[first][0] < 4:
                last += 1  # a note on "of" alone is no one's
            end = found[last][1]
            if end < len(block.text) and block.text[end] in ".,;:!?" and rng.random() < 0.3:
                end += 1
            spans.add(((i, found[first][0]), (i, end)))
        if rng.random() < 0.3 and i + 1 < len(doc.blocks) and doc.blocks[i + 1].kind == block.kind == "paragraph":
            following = words_in(doc.blocks[i + 1].text)
            start = found[rng.randrange(len(found) * 2 // 3, len(found))][0]
            spans.add(((i, start), (i + 1, following[rng.randrange(max(1, len(following) // 3))][1])))
    repeated = repeated_phrases(doc)
    for phrase in rng.sample(sorted(repeated), min(phrases, len(repeated))):
        spans.update(((i, s), (i, s + len(phrase))) for i, s in repeated[phrase])
    doc.notes = [NoteSpec(start, end, _exact(doc, start, end)) for start, end in sorted(spans)]
    return doc.notes


def _exact(doc, start, end):
    if start[0] == end[0]:
        return doc.blocks[start[0]].text[start[1] : end[1]]
    middle = [block.text for block in doc.blocks[start[0] + 1 : end[0]]]
    return "\n\n".join([doc.blocks[start[0]].text[start[1] :], *middle, doc.blocks[end[0]].text[: end[1]]])
