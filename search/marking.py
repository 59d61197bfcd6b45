"""Matching words marked in a text: the text is escaped piece by piece and only our <mark> is markup.

Matching is by a light stem (the engines stem with Porter's rules), so "treaties" marks
"treaty" and "talks" marks "talk". A miss here only leaves a word unmarked: the engine decides
what matches, this only shows where.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", ""))
ELLIPSIS = "…"


def stem(word):
    word = word.casefold()
    for suffix, replacement in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


def spans(text):
    """(start, end) of each run of letters and digits in `text`, in one pass."""
    found, start = [], None
    for index, character in enumerate(text):
        if character.isalnum():
            if start is None:
                start = index
        elif start is not None:
            found.append((start, index))
            start = None
    if start is not None:
        found.append((start, len(text)))
    return found


def matches(text, terms):
    """(start, end) of each word of `text` that a term matches: a single word anywhere, a phrase's
    words only where they stand side by side in its order. Linear in the text (phrases are short)."""
    words = spans(text)
    stems = [stem(text[start:end]) for start, end in words]
    single = {stem(term[0]) for term in terms if len(term) == 1}
    phrases = [[stem(word) for word in term] for term in terms if len(term) > 1]
    marked = [stem_ in single for stem_ in stems]
    for phrase in phrases:
        for first in range(len(stems) - len(phrase) + 1):
            if stems[first : first + len(phrase)] == phrase:
                marked[first : first + len(phrase)] = [True] * len(phrase)
    return [span for span, hit in zip(words, marked, strict=True) if hit]


def mark(text, terms, *, around=None):
    """`text` as safe HTML with the words of `terms` in <mark>; `around` characters of it about the first match."""
    hits = matches(text, terms)
    first, last = 0, len(text)
    if around is not None and len(text) > around:
        centre = hits[0][0] if hits else 0
        first = max(0, centre - around // 3)
        last = min(len(text), first + around)
        hits = [(start, end) for start, end in hits if start >= first and end <= last]
    pieces = [ELLIPSIS] if first > 0 else []
    at = first
    for start, end in hits:
        pieces.append(escape(text[at:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    pieces.append(escape(text[at:last]))
    if last < len(text):
        pieces.append(ELLIPSIS)
    return mark_safe("".join(pieces))  # every piece of the text was escaped above
