"""The W3C Web Annotation JSON the API accepts and sends (https://www.w3.org/TR/annotation-model/).

These models are what /api/openapi.json shows, and api.parsing checks a client's annotation
with them. Where pydantic's own words would not tell a client what to fix, a field says ours
(api.explaining). What needs the article itself (is this its IRI, is that paragraph in it,
does the quote match the text) is left to api.parsing and annotations.anchoring.

Fields the server sets or does not read are typed for the documentation but not checked
(SkipValidation), so a client that sends something odd there is not refused for it.
"""

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    Discriminator,
    Field,
    SkipValidation,
    Tag,
    ValidationError,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from typing_extensions import TypeAliasType

from annotations import models
from api.explaining import InputError, W3CObject, explained, kind, refusal
from api.serialising import RFC3986

MAX_IRI_LENGTH = models.Annotation._meta.get_field("canonical").max_length
MOTIVATIONS = ("highlighting", "commenting", "tagging", "bookmarking", "describing", "questioning", "replying")
PURPOSES = ("commenting", "describing", "replying", "questioning", "tagging")
TEXT_FORMATS = ("text/markdown", "text/plain")
IRI_SCHEMES = ("http", "https", "urn")  # what `canonical` and `via` may name: the Web, or a name such as urn:uuid:…
# An absolute IRI of one of those schemes (any case, RFC 3986), with none of the characters RFC 3987
# leaves out of an IRI: controls (NUL among them), spaces and <>"{}|\^`.
ABSOLUTE_IRI = r'^(?:[hH][tT][tT][pP][sS]?|[uU][rR][nN]):[^\x00-\x20\x7f-\x9f<>"{}|\\^`]+$'
SURROGATE = re.compile("[\ud800-\udfff]")  # a lone one, which JSON can carry but no database can store
SEMINAR_SLUG = r"^[-A-Za-z0-9_]*$"


def _shape(value):
    return "many" if isinstance(value, list) else "one"


def one_or_many(item):
    """`item`, or a list of them, as JSON-LD allows; told apart first, so a complaint is about one shape."""
    return Annotated[Annotated[item, Tag("one")] | Annotated[list[item], Tag("many")], Discriminator(_shape)]


def server_set(kind_of_value):
    """A field the server fills in: typed for the documentation; what a client sends there is ignored."""
    return Annotated[kind_of_value, SkipValidation(), Field(json_schema_extra={"readOnly": True})]


Iri = Annotated[str, Field(json_schema_extra={"format": "iri"})]


# Selectors ------------------------------------------------------------------------------


def _offset_message(value, info):
    return (
        f"The TextPositionSelector's {info.field_name} must be a whole number from 0 up, counting characters "
        f"from the start of the paragraph; it is {value!r}."
    )


Offset = Annotated[int, Field(strict=True, ge=0), explained(_offset_message)]


class TextPositionSelector(W3CObject):
    """Characters `start` to `end` of a paragraph, in Unicode code points from its start."""

    when_absent = {"start": None, "end": None}
    type: Literal["TextPositionSelector"]
    start: Offset
    end: Offset

    @model_validator(mode="after")
    def _start_not_after_end(self):
        if self.start > self.end:
            raise InputError(f"The TextPositionSelector's start ({self.start}) is after its end ({self.end}).")
        return self


class FragmentSelector(W3CObject):
    """A paragraph by its key (its id on the reading page); `refinedBy` narrows it to part of it."""

    when_absent = {"value": None}
    type: Literal["FragmentSelector"]
    value: Annotated[
        str,
        Field(min_length=1),
        explained("The FragmentSelector needs a value: the key of a paragraph (its id on the reading page)."),
    ]
    conforms_to: Annotated[
        Literal[RFC3986], explained(f"The FragmentSelector must conform to {RFC3986}: its value is a paragraph's key.")
    ] = RFC3986
    refined_by: Annotated[
        TextPositionSelector | None,
        explained("The FragmentSelector can be refined only by a TextPositionSelector with a start and an end."),
    ] = None


def _range_end(value, handler, info):
    """A fault inside an end is named after that end ("The startSelector needs a value")."""
    try:
        return handler(value)
    except ValidationError as error:
        cause = refusal(error)
        if cause is None:
            raise InputError(
                "A RangeSelector's startSelector and endSelector must each be a FragmentSelector "
                "(a paragraph key) refined by a TextPositionSelector."
            ) from None
        raise InputError(str(cause).replace("The FragmentSelector", f"The {to_camel(info.field_name)}")) from None


RangeEnd = Annotated[FragmentSelector, WrapValidator(_range_end)]


class RangeSelector(W3CObject):
    """A passage across paragraphs: from the start of the first selector's range to the end of the second's."""

    when_absent = {"startSelector": None, "endSelector": None}
    type: Literal["RangeSelector"]
    start_selector: RangeEnd
    end_selector: RangeEnd


Quoted = Annotated[str, explained("A TextQuoteSelector's exact, prefix and suffix must be text.")]


class TextQuoteSelector(W3CObject):
    """The passage by its text; some text before and after it picks among repeats."""

    when_absent = {"exact": ""}
    type: Literal["TextQuoteSelector"]
    exact: Quoted
    prefix: Quoted = ""
    suffix: Quoted = ""

    @model_validator(mode="after")
    def _exact_not_blank(self):
        if not self.exact.strip():
            raise InputError("The TextQuoteSelector's exact is empty: give the exact text of the passage.")
        return self


def _selector_message(value, info):
    kind_of_selector = value.get("type") if isinstance(value, dict) else None
    if kind_of_selector == "TextPositionSelector":
        return (
            "A TextPositionSelector counts from the start of a paragraph: put it in the refinedBy "
            "of a FragmentSelector whose value is the paragraph's key."
        )
    return (
        f"Selector type {kind_of_selector!r} is not supported: use a FragmentSelector (a paragraph key) refined by "
        "a TextPositionSelector, a RangeSelector of two of those, or a TextQuoteSelector."
    )


Selector = TypeAliasType(
    "Selector",
    Annotated[
        FragmentSelector | RangeSelector | TextQuoteSelector,
        Field(discriminator="type"),
        explained(_selector_message),
    ],
)


def _one_of_each(selector):
    """Several selectors are alternative ways to find one passage: at most one position and one quote."""
    selectors = selector if isinstance(selector, list) else [selector]
    quotes = sum(isinstance(item, TextQuoteSelector) for item in selectors)
    if selector is not None and (quotes > 1 or len(selectors) - quotes > 1 or not selectors):
        raise InputError(
            "Give one position selector (FragmentSelector or RangeSelector), one TextQuoteSelector, "
            "or one of each: they are alternative ways to find the same passage."
        )
    return selector


# Targets --------------------------------------------------------------------------------


class ExternalResource(W3CObject):
    id: Iri


class SpecificResource(W3CObject):
    """A passage of the article: its source, and selectors that find the passage in it."""

    type: SkipValidation[Literal["SpecificResource"]] = "SpecificResource"
    # The article; api.parsing checks it is this article's IRI (some clients send it as `id`).
    source: SkipValidation[Iri | ExternalResource] = None
    id: SkipValidation[Iri] = None
    selector: Annotated[one_or_many(Selector) | None, AfterValidator(_one_of_each)] = None
    anchor_status: server_set(Literal["suggested", "orphaned"]) = Field(
        None,
        description=(
            "Present when the text no longer holds the passage where it was: only the quote is kept, and "
            "the note is not placed (suggested: a place awaits its author's check; orphaned: none was found)."
        ),
    )

    @property
    def iri(self):
        """What the target names: its source (an IRI, or an object with one), else its own id."""
        source = self.source if "source" in self.model_fields_set else self.id
        return source.get("id") if isinstance(source, dict) else source

    @property
    def selectors(self):
        return self.selector if isinstance(self.selector, list) else [self.selector]

    @property
    def position(self):
        return next((item for item in self.selectors if not isinstance(item, TextQuoteSelector)), None)

    @property
    def quote(self):
        return next((item for item in self.selectors if isinstance(item, TextQuoteSelector)), None)


def _target_message(value, info):
    item = value[0] if isinstance(value, list) else value
    return f"The target must be the article's IRI or an object with a source, not {kind(item)}."


def _given_once(value, handler, info):
    """A target left out, empty or given twice is refused before its shape is looked at."""
    if value in (None, "", [], {}):
        article = info.context["article"]
        raise InputError(f"The annotation has no target: give the article's IRI, {article}, as target.")
    if isinstance(value, list) and len(value) > 1:
        raise InputError(f"Give one target, this article's IRI or a passage of it; this has {len(value)}.")
    return handler(value)


def _target_shape(value):
    return "many" if isinstance(value, list) else "iri" if isinstance(value, str) else "resource"


OneTarget = Annotated[
    Annotated[Iri, Tag("iri")] | Annotated[SpecificResource, Tag("resource")], Discriminator(_target_shape)
]
Target = TypeAliasType(
    "Target",
    Annotated[
        Annotated[Iri, Tag("iri")]
        | Annotated[SpecificResource, Tag("resource")]
        | Annotated[list[OneTarget], Field(min_length=1, max_length=1), Tag("many")],
        Discriminator(_target_shape),
        Field(description="The article's IRI (the whole article; with #key, that paragraph), or a passage of it."),
    ],
)


# Where a passage stands after the text changed (our context) --------------------------------


class Place(W3CObject):
    """A place in the article, written as a target: a position (in the text of its time) and the words there."""

    type: Literal["SpecificResource"] = "SpecificResource"
    source: Iri
    selector: one_or_many(Selector) = None


class Candidate(Place):
    """A place suggested for a suggested note: send it back as the note's target to accept it."""

    score: float = Field(description="How well the place matches the note's passage, 0 to 1.")


class AnchorMove(W3CObject):
    """What the latest change of the note's place did: from where, to where, how and how sure."""

    revision: int = Field(description="The article's revision the move was made for.")
    status: Literal[tuple(models.Annotation.AnchorStatus.values)] = Field(description="The note's status after it.")
    method: Literal[tuple(models.AnchorMove.Method.values)] = Field(
        description=(
            "position: the same words at the same place; exact: the same words, found elsewhere; fuzzy: "
            "similar words; none: not found; author: placed by its author."
        )
    )
    score: float = Field(None, description="How well the new place matched, 0 to 1.")
    from_: Place = Field(None, alias="from", description="Where the note was, in the text before the change.")
    to: Place = Field(None, description="Where the note went; left out when it was not placed.")
    created: datetime


class Anchor(W3CObject):
    """Where the note's passage stands after changes of the text."""

    status: Literal[tuple(models.Annotation.AnchorStatus.values)] = Field(
        description=(
            "anchored: placed, its target's selectors name the words it marks now; suggested: a place "
            "awaits its author's check; orphaned: its words were not found. Neither of the last two is placed."
        )
    )
    written_about: TextQuoteSelector = Field(
        None,
        description=(
            "The quote the note was written about, when the note was moved to similar words: its target's "
            "TextQuoteSelector gives the words it marks now."
        ),
    )
    last_move: AnchorMove = Field(None, description="The latest change of its place, if any.")
    candidates: list[Candidate] = Field(
        None, description="For its author, of a suggested note: the places it may now be, best first."
    )


# Bodies ---------------------------------------------------------------------------------


class TextualBody(W3CObject):
    """The comment (Markdown), or with purpose "tagging" a tag."""

    type: Literal["TextualBody"] = "TextualBody"
    value: Annotated[str, explained("A TextualBody's value must be text.")]
    format: Annotated[
        Literal[TEXT_FORMATS] | None,
        explained(lambda value, _: f"Body format {value!r} is not supported: comments are text/markdown."),
    ] = None
    purpose: Annotated[
        Literal[PURPOSES] | None,
        explained(
            lambda value, _: (
                f"Body purpose {value!r} is not supported: use “commenting” for the comment and “tagging” for a tag."
            )
        ),
    ] = None


def _body_message(value, info):
    if isinstance(value, str):
        return (
            "A body given as a string is the IRI of a resource elsewhere, which Marginalia cannot store: "
            'send the comment as {"type": "TextualBody", "value": "…"}.'
        )
    return 'Each body must be a TextualBody with a value: {"type": "TextualBody", "value": "…"}.'


Body = Annotated[TextualBody, explained(_body_message)]


# Annotations ----------------------------------------------------------------------------


class Person(W3CObject):
    type: Literal["Person"]
    nickname: str
    name: str


Context = str | list[str | dict[str, Any]] | dict[str, Any]
Motivation = Annotated[
    Literal[MOTIVATIONS],
    explained(
        lambda value, _: f"Motivation {value!r} is not supported: leave it out or use one of {', '.join(MOTIVATIONS)}."
    ),
]


def _names_annotation(types):
    if "Annotation" not in types:
        raise ValueError("none of the types is Annotation")
    return types


AnnotationTypes = Annotated[
    list[Any], AfterValidator(_names_annotation), Field(json_schema_extra={"contains": {"const": "Annotation"}})
]


def _iri_message(value, info):
    return (
        f"{info.field_name} must be an absolute IRI (such as urn:uuid:… or https://…) whose scheme is "
        f"{', '.join(IRI_SCHEMES[:-1])} or {IRI_SCHEMES[-1]}, with no spaces or control characters, "
        f"of at most {MAX_IRI_LENGTH} characters."
    )


def _absolute(iri):
    # Python's re, not pydantic's pattern: pydantic's cannot look at a lone surrogate, which is refused here.
    if len(iri) > MAX_IRI_LENGTH or not re.match(ABSOLUTE_IRI, iri) or SURROGATE.search(iri):
        raise ValueError("not an absolute IRI")
    return iri


def _slug_shaped(slug):
    """A slug is letters, digits, - and _: anything else names no seminar, and may not even reach the database."""
    if slug is not None and not re.match(SEMINAR_SLUG, slug):
        raise InputError(f"There is no seminar {slug!r}: a seminar's slug has only letters, digits, - and _.")
    return slug


AbsoluteIri = Annotated[
    Literal[""]
    | Annotated[
        str, AfterValidator(_absolute), Field(json_schema_extra={"maxLength": MAX_IRI_LENGTH, "pattern": ABSOLUTE_IRI})
    ]
    | None,
    explained(_iri_message),
]


class Moderation(W3CObject):
    state: Literal["hidden", "pending"]
    reason: str = Field(None, description="The moderator's reason, for a hidden note.")


class Featured(W3CObject):
    created: datetime
    reason: str


class Annotation(W3CObject):
    """A note on the article, a passage of it, or (motivation "replying") on another annotation."""

    when_absent = {"target": None}
    context: SkipValidation[Context] = Field(None, alias="@context")
    id: server_set(Iri) = None
    type: Annotated[
        Literal["Annotation"] | AnnotationTypes | None,
        explained(lambda value, _: f"The type must be “Annotation”, not {value!r}."),
    ] = None
    # Nulls in a list of motivations were always passed over, so they still are.
    motivation: one_or_many(Motivation | None) = None
    created: server_set(datetime) = None
    modified: server_set(datetime) = None
    creator: server_set(Person) = None
    body_value: Annotated[str, explained("bodyValue must be text: the comment, in Markdown.")] = Field(
        None, description="The comment, in Markdown: instead of a body."
    )
    body: one_or_many(Body) | None = None
    target: Annotated[Target, WrapValidator(_given_once), explained(_target_message)]
    # writing.check_visibility checks it, with the web forms' message; a reply takes its thread's.
    visibility: SkipValidation[Literal[tuple(models.Annotation.Visibility.values)]] = "private"
    seminar: Annotated[
        str | None,
        AfterValidator(_slug_shaped),
        Field(json_schema_extra={"pattern": SEMINAR_SLUG}),
        explained("seminar must be the seminar's slug, as text."),
    ] = Field(None, description="The seminar's slug, with visibility “seminar”.")
    canonical: AbsoluteIri = None
    via: AbsoluteIri = None
    anchor: server_set(Anchor) = Field(
        None, description="For a note on a passage: where its passage stands after changes of the text."
    )
    moderation: server_set(Moderation) = Field(
        None, description="For a hidden or pending note (only its author and moderators read it): why."
    )
    featured: server_set(Featured) = Field(None, description="For a note a moderator featured: when and why.")

    @field_validator("body", mode="before")
    @classmethod
    def _not_with_body_value(cls, body, info):
        if body is not None and info.data.get("body_value") is not None:
            raise InputError("Give either body or bodyValue, not both.")
        return body

    @property
    def motivations(self):
        return self.motivation if isinstance(self.motivation, list) else [self.motivation]

    @property
    def bodies(self):
        return self.body if isinstance(self.body, list) else [] if self.body is None else [self.body]

    @property
    def single_target(self):
        return self.target[0] if isinstance(self.target, list) else self.target


# Collections ----------------------------------------------------------------------------


class PartOf(W3CObject):
    id: Iri
    total: int


class AnnotationPage(W3CObject):
    """Up to 200 annotations in reading order, or their IRIs when asked for IRIs."""

    context: Context = Field(None, alias="@context", description="Left out when the page is embedded.")
    id: Iri
    type: Literal["AnnotationPage"]
    part_of: PartOf
    start_index: int
    items: list[Annotation | Iri]
    prev: Iri = None
    next: Iri = None


class AnnotationCollection(W3CObject):
    """An article's annotations: how many, and the first page embedded (or linked) and the last linked."""

    context: Context = Field(alias="@context")
    id: Iri
    type: list[Literal["BasicContainer", "AnnotationCollection"]]
    label: str
    total: int
    first: AnnotationPage | Iri = None
    last: Iri = None


class Problem(BaseModel):
    error: str = Field(description="What went wrong and what to fix.")
