"""Characters that make a name look other than it is: invisible ones, and those that reorder text.

Names (tags, seminars) are read at a glance and told apart by how they look, so a zero-width
space, a byte-order mark or a Hangul filler makes a lookalike of another name, or a name that
shows nothing at all; a bidi override turns the text after it around. Unicode lists the
characters that show nothing by default (Default_Ignorable_Code_Point); the `regex` module
knows the list for each Unicode version, the standard library does not.
"""

import unicodedata

import regex

_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}")
# Embeddings, overrides and isolates: they reorder the text after them, up to the end of a paragraph.
REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible on their own but part of visible text: ZWNJ and ZWJ shape Persian, Indic and emoji
# sequences, variation selectors choose how an emoji or a CJK character looks.
JOINERS = frozenset("\u200c\u200d" + "".join(map(chr, range(0xFE00, 0xFE10))))
BLANK = frozenset("\u2800")  # the empty Braille pattern: a printing character that prints nothing


def describe(char):
    """A character as a message names it: U+200B ZERO WIDTH SPACE."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def invisible_character(text, allowed=frozenset()):
    """The first character in `text` that shows nothing by default (other than those `allowed`), or None."""
    return next((match.group() for match in _IGNORABLE.finditer(text) if match.group() not in allowed), None)


def reordering_character(text):
    return next((char for char in text if char in REORDERING), None)


def shows_something(text):
    """Whether `text` has a character a reader can see: not white space, not ignorable, not blank."""
    return any(not (char.isspace() or char in BLANK or _IGNORABLE.match(char)) for char in text)
