"""Reading a client's W3C Web Annotation: its target anchored in the article, its bodies checked.

`AnnotationReader.read` turns the JSON of a POST or PUT into the arguments of
writing.create_note / update_note, which do the checks the web forms share. Every
refusal is an InputError whose message says what to fix.

A target is the article's IRI (the whole article; with a `#key` fragment, that paragraph),
or the article with selectors: a FragmentSelector (paragraph key) refined by a
TextPositionSelector, a RangeSelector of two of those (from the start of the first's range
to the end of the second's), or a TextQuoteSelector alone. Given beside a position, the
quote checks it: a mismatch is a conflict (409), the text having changed under the client.
"""

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from annotations.anchoring import AnchoringError, ArticleText
from annotations.models import Annotation
from annotations.writing import UNCHANGED
from api.serialising import RFC3986

MAX_IRI_LENGTH = Annotation._meta.get_field("canonical").max_length
MOTIVATIONS = ("highlighting", "commenting", "tagging", "bookmarking", "describing", "questioning", "replying")
COMMENT_PURPOSES = (None, "commenting", "describing", "replying", "questioning")
TEXT_FORMATS = (None, "text/markdown", "text/plain")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")


class InputError(ValueError):
    """An annotation we cannot store; the message says what to fix."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


@dataclass
class NoteInput:
    """An annotation read from JSON: the keyword arguments of create_note, and its passage."""

    passage: object  # anchoring.Passage, None for the whole article, or writing.UNCHANGED
    comment: str
    tags: list
    visibility: object
    seminar: object  # a slug, checked by writing.check_visibility
    canonical: str
    via: str
    parent: str | None = None  # for a reply: the id of the annotation it answers

    def fields(self):
        names = ("comment", "tags", "visibility", "seminar", "canonical", "via")
        return {name: getattr(self, name) for name in names}


class AnnotationReader:
    """Reads a client's Annotation for one article, anchoring its target in the text."""

    def __init__(self, article, iris):
        self.article, self.iris = article, iris

    @cached_property
    def text(self):
        return ArticleText(self.article.paragraphs.all())

    def read(self, data, *, keep_target=None):
        """NoteInput from JSON; a target equal to `keep_target` keeps its passage (UNCHANGED)."""
        if not isinstance(data, dict):
            raise InputError(f"Send one JSON object, an Annotation, not {_kind(data)}.")
        self._check_type(data.get("type"))
        self._check_motivation(data.get("motivation"))
        comment, tags = self._bodies(data)
        if "target" not in data or data["target"] in (None, "", [], {}):
            raise InputError(f"The annotation has no target: give the article's IRI, {self.iris.article}, as target.")
        keep = keep_target is not None and data["target"] == keep_target
        parent = None if keep else self._parent(data["target"], data.get("motivation"))
        return NoteInput(
            passage=UNCHANGED if keep or parent else self._target(data["target"]),
            comment=comment,
            tags=tags,
            visibility=data.get("visibility", "private"),
            seminar=_seminar(data.get("seminar")),
            canonical=_iri_field(data, "canonical"),
            via=_iri_field(data, "via"),
            parent=parent,
        )

    def _parent(self, target, motivation):
        """For a reply, the id of the annotation its target names; None for a passage or the article."""
        if isinstance(target, list) and len(target) == 1:
            target = target[0]
        if isinstance(target, dict) and target.get("selector") is None:
            target = target.get("source", target.get("id"))
        replying = "replying" in (motivation if isinstance(motivation, list) else [motivation])
        if isinstance(target, str) and target.startswith(self.iris.container) and target != self.iris.container:
            return target[len(self.iris.container) :]
        if replying:
            raise InputError(
                "A reply (motivation “replying”) targets the annotation it answers: give that annotation's IRI, "
                f"{self.iris.container}<id>, as its target."
            )
        return None

    def _check_type(self, value):
        types = value if isinstance(value, list) else [value]
        if value is not None and "Annotation" not in types:
            raise InputError(f"The type must be “Annotation”, not {value!r}.")

    def _check_motivation(self, value):
        for motivation in value if isinstance(value, list) else [value]:
            if motivation is not None and motivation not in MOTIVATIONS:
                raise InputError(
                    f"Motivation {motivation!r} is not supported: leave it out or use one of {', '.join(MOTIVATIONS)}."
                )

    # Bodies ------------------------------------------------------------------------------

    def _bodies(self, data):
        """(comment, tag names) from `body` or `bodyValue`."""
        if "bodyValue" in data:
            if data.get("body") is not None:
                raise InputError("Give either body or bodyValue, not both.")
            if not isinstance(data["bodyValue"], str):
                raise InputError("bodyValue must be text: the comment, in Markdown.")
            return data["bodyValue"], []
        body = data.get("body")
        comments, tags = [], []
        for item in [] if body is None else body if isinstance(body, list) else [body]:
            purpose, value = self._textual_body(item)
            (tags if purpose == "tagging" else comments).append(value)
        if len(comments) > 1:
            raise InputError(f"Send one commenting body, the comment; this annotation has {len(comments)}.")
        return (comments[0] if comments else ""), tags

    def _textual_body(self, body):
        if isinstance(body, str):
            raise InputError(
                "A body given as a string is the IRI of a resource elsewhere, which Marginalia cannot store: "
                'send the comment as {"type": "TextualBody", "value": "…"}.'
            )
        if not isinstance(body, dict) or body.get("type", "TextualBody") != "TextualBody" or "value" not in body:
            raise InputError('Each body must be a TextualBody with a value: {"type": "TextualBody", "value": "…"}.')
        if not isinstance(body["value"], str):
            raise InputError("A TextualBody's value must be text.")
        if body.get("format") not in TEXT_FORMATS:
            raise InputError(f"Body format {body['format']!r} is not supported: comments are text/markdown.")
        purpose = body.get("purpose")
        if purpose not in (*COMMENT_PURPOSES, "tagging"):
            raise InputError(
                f"Body purpose {purpose!r} is not supported: use “commenting” for the comment and “tagging” for a tag."
            )
        return purpose, body["value"]

    # Targets -----------------------------------------------------------------------------

    def _target(self, target):
        if isinstance(target, list):
            if len(target) != 1:
                raise InputError(f"Give one target, this article's IRI or a passage of it; this has {len(target)}.")
            target = target[0]
        if isinstance(target, str):
            return self._whole(self._source(target))
        if not isinstance(target, dict):
            raise InputError(f"The target must be the article's IRI or an object with a source, not {_kind(target)}.")
        source = target.get("source", target.get("id"))
        if isinstance(source, dict):
            source = source.get("id")
        key = self._source(source)
        if target.get("selector") is None:
            return self._whole(key)
        return self._selected(target["selector"])

    def _source(self, iri):
        """Check the IRI names this article; return its fragment (a paragraph key) or ""."""
        if not isinstance(iri, str) or not iri:
            raise InputError(f"The target needs a source: this article's IRI, {self.iris.article}.")
        given, own = urlsplit(iri), urlsplit(self.iris.article)
        if given.scheme not in ("http", "https") or given.netloc.lower() != own.netloc.lower():
            raise InputError(
                f"The target {iri} is not on this site: Marginalia annotates its own articles; "
                f"this container's article is {self.iris.article}."
            )
        if given.path != own.path:
            raise InputError(
                f"The target {iri} is not this article ({self.iris.article}): "
                "post a note on another article to that article's container."
            )
        return given.fragment

    def _whole(self, key):
        """The whole article, or with a #key fragment the whole of that paragraph."""
        if not key:
            return None
        paragraph = self._paragraph(key)
        return self._position(key, 0, key, len(paragraph.text))

    def _selected(self, selector):
        positions, quotes = [], []
        for item in selector if isinstance(selector, list) else [selector]:
            kind = item.get("type") if isinstance(item, dict) else None
            if kind in ("FragmentSelector", "RangeSelector"):
                positions.append(item)
            elif kind == "TextQuoteSelector":
                quotes.append(item)
            elif kind == "TextPositionSelector":
                raise InputError(
                    "A TextPositionSelector counts from the start of a paragraph: put it in the refinedBy "
                    "of a FragmentSelector whose value is the paragraph's key."
                )
            else:
                raise InputError(
                    f"Selector type {kind!r} is not supported: use a FragmentSelector (a paragraph key) refined by "
                    "a TextPositionSelector, a RangeSelector of two of those, or a TextQuoteSelector."
                )
        if len(positions) > 1 or len(quotes) > 1 or not (positions or quotes):
            raise InputError(
                "Give one position selector (FragmentSelector or RangeSelector), one TextQuoteSelector, "
                "or one of each: they are alternative ways to find the same passage."
            )
        quote = self._quote(quotes[0]) if quotes else None
        if positions:
            return self._position(*self._range(positions[0]), exact=quote[0] if quote else None)
        try:
            return self.text.by_quote(*quote)
        except AnchoringError as error:
            raise InputError(str(error)) from None

    def _quote(self, selector):
        parts = [selector.get(name, "") for name in ("exact", "prefix", "suffix")]
        if not all(isinstance(part, str) for part in parts):
            raise InputError("A TextQuoteSelector's exact, prefix and suffix must be text.")
        if not parts[0].strip():
            raise InputError("The TextQuoteSelector's exact is empty: give the exact text of the passage.")
        return parts

    def _range(self, selector):
        """(start key, start offset, end key, end offset) of a FragmentSelector or RangeSelector."""
        if selector["type"] == "FragmentSelector":
            key, start, end = self._fragment(selector, "FragmentSelector")
            return key, start, key, end
        ends = [selector.get(name) for name in ("startSelector", "endSelector")]
        if not all(isinstance(end, dict) and end.get("type") == "FragmentSelector" for end in ends):
            raise InputError(
                "A RangeSelector's startSelector and endSelector must each be a FragmentSelector "
                "(a paragraph key) refined by a TextPositionSelector."
            )
        start_key, start, _ = self._fragment(ends[0], "startSelector")
        end_key, _, end = self._fragment(ends[1], "endSelector")
        return start_key, start, end_key, end

    def _fragment(self, selector, where):
        """(key, start, end) of a FragmentSelector; without refinedBy, the whole paragraph."""
        key = selector.get("value")
        if not isinstance(key, str) or not key:
            raise InputError(f"The {where} needs a value: the key of a paragraph (its id on the reading page).")
        if selector.get("conformsTo", RFC3986) != RFC3986:
            raise InputError(f"The {where} must conform to {RFC3986}: its value is a paragraph's key.")
        key = key.removeprefix("#")
        paragraph = self._paragraph(key)
        refined = selector.get("refinedBy")
        if refined is None:
            return key, 0, len(paragraph.text)
        if not isinstance(refined, dict) or refined.get("type") != "TextPositionSelector":
            raise InputError(f"The {where} can be refined only by a TextPositionSelector with a start and an end.")
        start, end = refined.get("start"), refined.get("end")
        for name, offset in (("start", start), ("end", end)):
            if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
                raise InputError(
                    f"The TextPositionSelector's {name} must be a whole number from 0 up, counting characters "
                    f"from the start of the paragraph; it is {offset!r}."
                )
        if start > end:
            raise InputError(f"The TextPositionSelector's start ({start}) is after its end ({end}).")
        return key, start, end

    def _paragraph(self, key):
        try:
            return self.text.paragraph(key)
        except AnchoringError as error:
            raise InputError(str(error)) from None

    def _position(self, start_key, start, end_key, end, exact=None):
        try:
            passage = self.text.by_position(start_key, start, end_key, end)
        except AnchoringError as error:
            raise InputError(str(error)) from None
        if exact is not None:
            try:  # The position is sound but the text there differs: the article changed, or the client erred.
                return self.text.by_position(start_key, start, end_key, end, exact=exact)
            except AnchoringError as error:
                raise InputError(str(error), status=409) from None
        return passage


def _iri_field(data, name):
    value = data.get(name)
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or len(value) > MAX_IRI_LENGTH or not _IRI.match(value):
        raise InputError(
            f"{name} must be an absolute IRI (such as urn:uuid:… or https://…) of at most {MAX_IRI_LENGTH} characters."
        )
    return value


def _seminar(value):
    if value is not None and not isinstance(value, str):
        raise InputError("seminar must be the seminar's slug, as text.")
    return value or None


def _kind(value):
    return {list: "a list", str: "a string", dict: "an object", type(None): "null"}.get(
        type(value), type(value).__name__
    )
