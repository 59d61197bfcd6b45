"""Reading a client's W3C Web Annotation: its target anchored in the article, its bodies checked.

`AnnotationReader.read` checks the JSON of a POST or PUT against api.schemas, then turns it
into the arguments of writing.create_note / update_note, which do the checks the web forms
share. Every refusal is an InputError whose message says what to fix.

A target is the article's IRI (the whole article; with a `#key` fragment, that paragraph),
or the article with selectors: a FragmentSelector (paragraph key) refined by a
TextPositionSelector, a RangeSelector of two of those (from the start of the first's range
to the end of the second's), or a TextQuoteSelector alone. Given beside a position, the
quote checks it: a mismatch is a conflict (409), the text having changed under the client.
"""

import json
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from pydantic import ValidationError

from annotations.anchoring import AmbiguousQuote, AnchoringError, ArticleText
from annotations.writing import UNCHANGED
from api import schemas
from api.explaining import InputError

ACCEPTED_TYPES = ("application/ld+json", "application/json")  # the media types of an annotation we read
MAX_NESTING = 32  # an annotation nests about 7 levels deep: more is not an annotation, and costs a deep recursion


def decode_json(body):
    """The JSON value in `body` (bytes), or an InputError that says what is wrong with it."""
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_not_a_json_number)
    except UnicodeDecodeError:
        raise InputError("The request body is not UTF-8: send JSON encoded as UTF-8.") from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"The request body is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    except InputError:
        raise
    except RecursionError:
        raise InputError(
            f"The request body nests more than {MAX_NESTING} levels deep; an annotation needs far fewer."
        ) from None
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits, a defence against slow parsing
        raise InputError(
            "The request body has a number with thousands of digits: no field of an annotation takes one."
        ) from None
    if _nesting(data) > MAX_NESTING:
        raise InputError(f"The request body nests more than {MAX_NESTING} levels deep; an annotation needs far fewer.")
    return data


def _not_a_json_number(name):
    raise InputError(f"The request body is not valid JSON: {name} is not a JSON number.")


def _nesting(value):
    """How many arrays and objects deep `value` goes, counted without recursion (up to one past the limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack and deepest <= MAX_NESTING:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


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
        return ArticleText.of(self.article)

    def read(self, data, *, keep_target=None):
        """NoteInput from JSON; a target equal to `keep_target` keeps its passage (UNCHANGED)."""
        annotation = self._checked(data)
        comment, tags = _comment_and_tags(annotation)
        keep = keep_target is not None and _as_sent(data["target"]) == _as_sent(keep_target)
        parent = None if keep else self._parent(annotation)
        return NoteInput(
            passage=UNCHANGED if keep or parent else self._target(annotation.single_target),
            comment=comment,
            tags=tags,
            visibility=annotation.visibility,
            seminar=annotation.seminar or None,
            canonical=annotation.canonical or "",
            via=annotation.via or "",
            parent=parent,
        )

    def _checked(self, data):
        if not isinstance(data, dict):
            raise InputError(f"Send one JSON object, an Annotation, not {schemas.kind(data)}.")
        try:
            return schemas.Annotation.model_validate(data, context={"article": self.iris.article})
        except ValidationError as error:
            raise _refusal(error) from None

    def _parent(self, annotation):
        """For a reply, the id of the annotation its target names; None for a passage or the article."""
        target = annotation.single_target
        if isinstance(target, schemas.SpecificResource) and target.selector is None:
            target = target.iri
        if isinstance(target, str) and target.startswith(self.iris.container) and target != self.iris.container:
            return target[len(self.iris.container) :]
        if "replying" in annotation.motivations:
            raise InputError(
                "A reply (motivation “replying”) targets the annotation it answers: give that annotation's IRI, "
                f"{self.iris.container}<id>, as its target."
            )
        return None

    # Targets -----------------------------------------------------------------------------

    def _target(self, target):
        if isinstance(target, str):
            return self._whole(self._source(target))
        key = self._source(target.iri)
        if target.selector is None:
            return self._whole(key)
        return self._selected(target)

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

    def _selected(self, resource):
        quote = resource.quote
        if resource.position is not None:
            return self._position(*self._range(resource.position), exact=quote.exact if quote else None)
        try:
            return self.text.by_quote(quote.exact, quote.prefix, quote.suffix, unique=True)
        except AmbiguousQuote as error:  # a conflict the client resolves with a position or more context
            raise InputError(str(error), status=409) from None
        except AnchoringError as error:
            raise InputError(str(error)) from None

    def _range(self, selector):
        """(start key, start offset, end key, end offset) of a FragmentSelector or RangeSelector."""
        if isinstance(selector, schemas.FragmentSelector):
            key, start, end = self._fragment(selector)
            return key, start, key, end
        start_key, start, _ = self._fragment(selector.start_selector)
        end_key, _, end = self._fragment(selector.end_selector)
        return start_key, start, end_key, end

    def _fragment(self, selector):
        """(key, start, end) of a FragmentSelector; without refinedBy, the whole paragraph."""
        key = selector.value.removeprefix("#")
        paragraph = self._paragraph(key)
        if selector.refined_by is None:
            return key, 0, len(paragraph.text)
        return key, selector.refined_by.start, selector.refined_by.end

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


def _as_sent(target):
    """A target as a client sends it back: `anchorStatus` is the server's to say, and may be left out."""
    if isinstance(target, dict):
        return {name: value for name, value in target.items() if name != "anchorStatus"}
    return target


def _refusal(error):
    """Our message for the first thing wrong; pydantic's own words where no field explains itself."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return schemas.refusal(error) or InputError(f"The annotation's {where} is not valid: {first['msg']}.")


def _comment_and_tags(annotation):
    """(comment, tag names): bodyValue, or the bodies that are not tags, is the comment; one at most."""
    if annotation.body_value is not None:
        return annotation.body_value, []
    tags = [body.value for body in annotation.bodies if body.purpose == "tagging"]
    comments = [body.value for body in annotation.bodies if body.purpose != "tagging"]
    if len(comments) > 1:
        raise InputError(f"Send one commenting body, the comment; this annotation has {len(comments)}.")
    return (comments[0] if comments else ""), tags
