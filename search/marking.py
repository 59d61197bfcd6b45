"""Matching words marked in a text: the text is escaped piece by piece and only our <mark> is markup.

Words match by their beginnings (`same_word`), near enough to the engines' stemming that
"treaties" marks "treaty". A miss here only leaves a word unmarked: the engine decides what
matches, this only shows where.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

ELLIPSIS = "…"


def same_word(word, wanted):
    """Whether `word` of the text is a form of the query's `wanted` (both casefolded).

    The engines stem with Porter's rules ("unpredictability" and "unpredictable" are one word to
    them); here two words are one when they share a beginning that leaves at most three letters of
    the shorter over, and at least four letters: "treaty"/"treaties", but not "war"/"warm".
    """
    if word == wanted:
        return True
    shared = 0
    for mine, theirs in zip(word, wanted, strict=False):
        if mine != theirs:
            break
        shared += 1
    return shared >= max(4, min(len(word), len(wanted)) - 3)


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
    words only where they stand side by side in its order. Linear in the text (a query is short)."""
    words = spans(text)
    folded = [text[start:end].casefold() for start, end in words]
    single = [term[0].casefold() for term in terms if len(term) == 1]
    phrases = [[word.casefold() for word in term] for term in terms if len(term) > 1]
    marked = [any(same_word(word, wanted) for wanted in single) for word in folded]
    for phrase in phrases:
        for first in range(len(folded) - len(phrase) + 1):
            if all(same_word(folded[first + n], wanted) for n, wanted in enumerate(phrase)):
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
