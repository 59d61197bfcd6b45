"""The search box's little language, read in one pass over the text (no regular expressions).

    peace treaty          notes and passages with both words
    "cold war"            the words next to each other, in this order
    tag:peace             notes tagged peace        tag:"cold war" for a tag with a space
    by:bob                notes bob wrote           is:mine   notes I wrote
    in:<article-slug>     only in that article      is:question   notes that ask a question

Everything else is refused with a message saying what to change, before any search runs: an
unknown operator or value, a query longer than MAX_LENGTH characters or with more than
MAX_TERMS parts. Words are what the engines call words: runs of letters and digits.
"""

from dataclasses import dataclass, field

MAX_LENGTH = 500
MAX_TERMS = 20
OPERATORS = ("tag", "by", "in", "is")
IS_VALUES = ("question", "mine")
HELP = 'Search with words, "a phrase", tag:name, by:username, in:article-slug, is:question or is:mine.'


class QueryError(ValueError):
    """The query cannot run as typed; the message says what to change."""


@dataclass
class Query:
    words: list = field(default_factory=list)
    phrases: list = field(default_factory=list)  # each a list of words
    tags: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    articles: list = field(default_factory=list)
    flags: set = field(default_factory=set)  # from is:

    @property
    def terms(self):
        """The words and phrases, each phrase a list of words: what the engines match."""
        return [[word] for word in self.words] + self.phrases

    @property
    def is_empty(self):
        return not (self.terms or self.tags or self.authors or self.articles or self.flags)

    @property
    def size(self):
        return sum(map(len, (self.words, self.phrases, self.tags, self.authors, self.articles, self.flags)))

    @property
    def about_notes_only(self):
        """Whether a part of the query only a note can meet (a tag, an author, a flag): then no passage can."""
        return bool(self.tags or self.authors or self.flags)


def words_of(text):
    """The runs of letters and digits in `text`, in order (apostrophes and hyphens split words, as the engines do)."""
    words, current = [], []
    for character in text:
        if character.isalnum():
            current.append(character)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def tokens(text):
    """Split the query into (operator or None, value, quoted) in one pass; quotes hold spaces."""
    parts, index, length = [], 0, len(text)
    while index < length:
        if text[index].isspace():
            index += 1
            continue
        operator = None
        start = index
        while index < length and not text[index].isspace() and text[index] not in ':"':
            index += 1
        if index < length and text[index] == ":" and index > start and text[start:index].isalpha():
            operator = text[start:index].lower()
            index += 1
            start = index
        elif index < length and text[index] == '"' and index == start:
            pass
        else:  # a word, up to the next space (a colon or quote inside it is part of the word)
            while index < length and not text[index].isspace():
                index += 1
            parts.append((None, text[start:index], False))
            continue
        if index < length and text[index] == '"':
            end = text.find('"', index + 1)
            end = length if end == -1 else end
            parts.append((operator, text[index + 1 : end], True))
            index = end + 1
        else:
            while index < length and not text[index].isspace():
                index += 1
            parts.append((operator, text[start:index], False))
    return parts


def parse(text):
    """Read the query typed; raise QueryError, saying what to change, where it cannot run."""
    if len(text) > MAX_LENGTH:
        raise QueryError(f"This search is {len(text):,} characters long; the limit is {MAX_LENGTH}. Shorten it.")
    query = Query()
    for operator, value, quoted in tokens(text):
        if operator is None:
            _add_words(query, value, quoted)
        else:
            _add_operator(query, operator, value.strip())
        if query.size > MAX_TERMS:
            raise QueryError(f"This search has more than {MAX_TERMS} words and operators; use fewer.")
    return query


def _add_words(query, value, quoted):
    found = words_of(value)
    if quoted and len(found) > 1:
        query.phrases.append(found)
    else:
        query.words.extend(found)


def _add_operator(query, operator, value):
    if operator not in OPERATORS:
        raise QueryError(f"There is no operator “{operator}:”. {HELP}")
    if not value:
        raise QueryError(f"“{operator}:” needs a value right after the colon, as in {_example(operator)}.")
    if operator == "is":
        if value.lower() not in IS_VALUES:
            raise QueryError(f"“is:{value}” is not something to search for: use is:question or is:mine.")
        query.flags.add(value.lower())
    elif operator == "tag":
        query.tags.append(value)
    elif operator == "by":
        query.authors.append(value)
    else:
        query.articles.append(value)


def _example(operator):
    return {"tag": "tag:peace", "by": "by:alice", "in": "in:article-slug", "is": "is:question"}[operator]
