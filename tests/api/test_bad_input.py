"""Every bad annotation gets a 4xx whose JSON message says what to fix, and stores nothing."""

import pytest

from annotations.anchoring import ArticleText
from annotations.models import Annotation

pytestmark = pytest.mark.django_db

IRI = "http://testserver/articles/north-korean-missile-crisis/"


@pytest.fixture
def token(alice, issue_token):
    return issue_token(alice)


@pytest.fixture
def paragraph(article):
    return ArticleText(article.paragraphs.all()).paragraphs[1]  # "Early morning of July 5th, North Korea…"


def at(key, start, end, **extra):
    refined = {"type": "TextPositionSelector", "start": start, "end": end}
    return {"source": IRI, "selector": {"type": "FragmentSelector", "value": key, "refinedBy": refined}, **extra}


def quote(exact, **context):
    return {"source": IRI, "selector": {"type": "TextQuoteSelector", "exact": exact, **context}}


def annotation(target=IRI, **fields):
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "target": target, **fields}


def check_refused(response, status, *words):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    message = response.json()["error"]
    for word in words:
        assert word.lower() in message.lower(), message
    assert Annotation.objects.count() == 0


def post(annotation_api, article, token, data, **options):
    return annotation_api.send("POST", annotation_api.container(article), data, token=token, **options)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('{"type": "Annotation", "target": ', ["not valid JSON", "line 1"]),
        ("", ["empty"]),
        (b"\xff\xfe{}", ["UTF-8"]),
        ("[]", ["one JSON object", "a list"]),
        ('"an annotation"', ["one JSON object", "a string"]),
    ],
    ids=["malformed", "empty", "not-utf8", "array", "string"],
)
def test_a_body_that_is_not_one_json_object_is_refused(annotation_api, article, token, body, words):
    check_refused(post(annotation_api, article, token, body), 400, *words)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_body_that_is_not_json_ld_is_an_unsupported_media_type(annotation_api, article, token, content_type):
    response = post(annotation_api, article, token, annotation(), content_type=content_type)
    check_refused(response, 415, "application/ld+json")
    assert "application/ld+json" in response["Accept-Post"]


BAD_ANNOTATIONS = {
    "no target": ({"type": "Annotation", "bodyValue": "Hello"}, ["no target", IRI]),
    "null target": (annotation(None), ["no target"]),
    "a target on another site": (annotation("https://example.com/articles/x/"), ["not on this site"]),
    "a target with no source": (annotation({"selector": {"type": "TextQuoteSelector", "exact": "x"}}), ["source"]),
    "another article on this site": (annotation("http://testserver/articles/other/"), ["not this article"]),
    "two targets": (annotation([IRI, IRI]), ["one target"]),
    "a number as target": (annotation(42), ["target must be"]),
    "a quote not in the article": (annotation(quote("the moon is made of cheese")), ["is not in this article"]),
    "an empty quote": (annotation(quote("")), ["empty"]),
    "a blank quote": (annotation(quote("   ")), ["empty"]),
    "a quote that is not text": (annotation(quote(["North"])), ["must be text"]),
    "an unknown paragraph key": (annotation(at("p-nope", 0, 4)), ["no paragraph", "p-nope"]),
    "a fragment without a value": (
        annotation({"source": IRI, "selector": {"type": "FragmentSelector"}}),
        ["needs a value"],
    ),
    "a fragment of another kind": (
        annotation(
            {
                "source": IRI,
                "selector": {
                    "type": "FragmentSelector",
                    "value": "t=10,20",
                    "conformsTo": "http://www.w3.org/TR/media-frags/",
                },
            }
        ),
        ["conform"],
    ),
    "a fragment refined by something else": (
        annotation(
            {
                "source": IRI,
                "selector": {
                    "type": "FragmentSelector",
                    "value": "PARA",
                    "refinedBy": {"type": "CssSelector", "value": "em"},
                },
            }
        ),
        ["refined only by a TextPositionSelector"],
    ),
    "an unknown paragraph in the source fragment": (annotation(IRI + "#p-nope"), ["no paragraph", "p-nope"]),
    "start after end": (annotation(at("PARA", 20, 10)), ["start (20) is after its end (10)"]),
    "an empty range": (annotation(at("PARA", 10, 10)), ["empty"]),
    "an end outside the paragraph": (annotation(at("PARA", 10, 5000)), ["outside paragraph", "5000"]),
    "a negative start": (annotation(at("PARA", -1, 5)), ["start", "whole number from 0", "-1"]),
    "a fractional offset": (annotation(at("PARA", 1.5, 5)), ["whole number", "1.5"]),
    "an offset given as text": (annotation(at("PARA", "1", 5)), ["whole number"]),
    "a missing end": (annotation(at("PARA", 1, None)), ["end", "whole number"]),
    "a boolean offset": (annotation(at("PARA", True, 5)), ["whole number"]),
    "a bare TextPositionSelector": (
        annotation({"source": IRI, "selector": {"type": "TextPositionSelector", "start": 0, "end": 5}}),
        ["refinedBy of a FragmentSelector"],
    ),
    "an unknown selector type": (
        annotation({"source": IRI, "selector": {"type": "XPathSelector", "value": "/p[2]"}}),
        ["'XPathSelector' is not supported"],
    ),
    "a selector that is not an object": (annotation({"source": IRI, "selector": "p-1"}), ["not supported"]),
    "two quotes": (
        annotation({"source": IRI, "selector": [quote("North")["selector"], quote("Korea")["selector"]]}),
        ["one TextQuoteSelector"],
    ),
    "an empty selector list": (annotation({"source": IRI, "selector": []}), ["one position selector"]),
    "a range of other selectors": (
        annotation(
            {
                "source": IRI,
                "selector": {"type": "RangeSelector", "startSelector": quote("North")["selector"], "endSelector": {}},
            }
        ),
        ["startSelector and endSelector"],
    ),
    "an unknown visibility": (annotation(visibility="friends"), ["visibility", "friends", "private"]),
    "a visibility that is not text": (annotation(visibility=["public"]), ["visibility"]),
    "an oversized comment": (annotation(bodyValue="x" * 10_001), ["10,001", "10,000"]),
    "a script in the comment": (
        annotation(body={"type": "TextualBody", "value": "Hi <script>alert(1)</script>"}),
        ["<script>", "not allowed"],
    ),
    "an event handler in the comment": (annotation(bodyValue='<img src=x onerror="alert(1)">'), ["event handler"]),
    "a javascript link in the comment": (annotation(bodyValue="[x](javascript:alert(1))"), ["javascript"]),
    "too many tags": (
        annotation(body=[{"type": "TextualBody", "value": f"tag{i}", "purpose": "tagging"} for i in range(11)]),
        ["at most 10 tags"],
    ),
    "a tag too long": (
        annotation(body={"type": "TextualBody", "value": "t" * 41, "purpose": "tagging"}),
        ["longer than 40"],
    ),
    "a tag with a script": (
        annotation(body={"type": "TextualBody", "value": "<script>", "purpose": "tagging"}),
        ["character tags cannot have"],
    ),
    "a string body": (annotation(body="http://example.com/comment"), ["IRI of a resource elsewhere"]),
    "an external body": (annotation(body={"id": "http://example.com/c", "type": "Text"}), ["TextualBody"]),
    "a body value that is not text": (annotation(body={"type": "TextualBody", "value": 3}), ["must be text"]),
    "a body in html": (
        annotation(body={"type": "TextualBody", "value": "<p>x</p>", "format": "text/html"}),
        ["format", "text/markdown"],
    ),
    "a body with an unknown purpose": (
        annotation(body={"type": "TextualBody", "value": "yes", "purpose": "editing"}),
        ["purpose 'editing'"],
    ),
    "two comments": (
        annotation(body=[{"type": "TextualBody", "value": "a"}, {"type": "TextualBody", "value": "b"}]),
        ["one commenting body"],
    ),
    "body and bodyValue": (annotation(body={"type": "TextualBody", "value": "a"}, bodyValue="b"), ["not both"]),
    "a bodyValue that is not text": (annotation(bodyValue={"value": "b"}), ["bodyValue must be text"]),
    "a type other than Annotation": (annotation(type="AnnotationCollection"), ["must be “Annotation”"]),
    "an unsupported motivation": (annotation(motivation="editing"), ["'editing' is not supported"]),
    "a canonical that is not an IRI": (annotation(canonical="not an iri"), ["canonical", "absolute IRI"]),
    "a via that is too long": (annotation(via="https://example.com/" + "x" * 500), ["via", "500"]),
    "a javascript canonical": (annotation(canonical="javascript:alert(1)"), ["canonical", "http, https or urn"]),
    "a data via": (annotation(via="data:text/html,<script>alert(1)</script>"), ["via", "http, https or urn"]),
    "a canonical with a NUL": (annotation(canonical="urn:uuid:a\x00b"), ["canonical", "control characters"]),
    "a via with a NUL": (annotation(via="https://example.com/\x00"), ["via", "control characters"]),
    "a canonical with a lone surrogate": (annotation(canonical="urn:x:\ud800"), ["canonical", "absolute IRI"]),
    "a via with a lone surrogate": (annotation(via="https://example.com/\udfff"), ["via", "absolute IRI"]),
    "a seminar with a NUL": (annotation(visibility="seminar", seminar="korea\x00"), ["no seminar", "letters"]),
    "a seminar with a lone surrogate": (annotation(visibility="seminar", seminar="\ud800"), ["no seminar"]),
}


@pytest.mark.parametrize(("data", "words"), BAD_ANNOTATIONS.values(), ids=BAD_ANNOTATIONS.keys())
def test_a_bad_annotation_is_refused_with_a_message_and_nothing_is_stored(
    annotation_api, article, token, paragraph, data, words
):
    data = _with_key(data, paragraph.key)
    check_refused(post(annotation_api, article, token, data), 400, *words)


def _with_key(data, key):
    """Put the real paragraph key where the table says PARA."""
    import json

    return json.loads(json.dumps(data).replace('"PARA"', json.dumps(key)))


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("[" * 1000 + "]" * 1000, ["nests more than 32 levels"]),
        ('{"type": "Annotation", "target": ' + "[" * 100_000 + "]" * 100_000 + "}", ["nests more than 32 levels"]),
        ('{"type": "Annotation", "target": ' + '{"a": ' * 40 + "1" + "}" * 40 + "}", ["nests more than 32 levels"]),
        ('{"type": "Annotation", "target": ' + "1" * 4301 + "}", ["thousands of digits"]),
        ('{"type": "Annotation", "motivation": NaN}', ["not valid JSON", "NaN"]),
        ('{"type": "Annotation", "canonical": -Infinity}', ["not valid JSON", "Infinity"]),
    ],
    ids=["nested 1,000 deep", "nested 100,000 deep", "nested 41 deep", "a 4,301-digit integer", "NaN", "Infinity"],
)
def test_json_no_annotation_needs_is_refused_with_a_message(annotation_api, article, token, body, words):
    check_refused(post(annotation_api, article, token, body), 400, *words)


def test_a_position_that_contradicts_its_quote_is_a_conflict(annotation_api, article, token, paragraph):
    target = at(paragraph.key, 0, 5)
    target["selector"] = [target["selector"], {"type": "TextQuoteSelector", "exact": "Late evening"}]
    response = post(annotation_api, article, token, annotation(target))
    check_refused(response, 409, "“Late evening” does not match", "which reads “Early”")


def test_a_range_that_ends_before_it_starts_is_refused(annotation_api, article, token):
    text = ArticleText(article.paragraphs.all())
    first, second = text.paragraphs[1], text.paragraphs[2]
    selector = {
        "type": "RangeSelector",
        "startSelector": at(second.key, 5, 5)["selector"],
        "endSelector": at(first.key, 5, 5)["selector"],
    }
    response = post(annotation_api, article, token, annotation({"source": IRI, "selector": selector}))
    check_refused(response, 400, "ends before it starts")


def test_an_unknown_article_is_a_json_404(annotation_api, token):
    response = annotation_api.send("POST", "/api/articles/no-such-article/annotations/", annotation(), token=token)
    assert response.status_code == 404
    assert "no-such-article" in response.json()["error"]
    assert annotation_api.send("GET", "/api/articles/no-such-article/annotations/").status_code == 404


def test_an_anonymous_post_is_401_with_a_bearer_challenge(annotation_api, article):
    response = post(annotation_api, article, None, annotation())
    check_refused(response, 401, "Authorization: Bearer")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_401(annotation_api, article):
    response = post(annotation_api, article, "mgl_not-a-real-token", annotation())
    check_refused(response, 401, "not valid")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_a_bad_page_number_is_refused(annotation_api, article):
    url = annotation_api.container(article)
    assert annotation_api.send("GET", url + "?page=1").status_code == 404
    assert annotation_api.send("GET", url + "?page=-1").status_code == 404
    response = annotation_api.send("GET", url + "?page=two")
    assert response.status_code == 400
    assert "page" in response.json()["error"]


@pytest.mark.parametrize("number", [2**61 - 1, 2**63, 8142798784389518983168])
def test_a_page_number_past_any_database_integer_is_a_404(annotation_api, article, number):
    """A page whose first row lies past what the database can count to is no page, not a crash."""
    url = annotation_api.container(article) + f"?page={number}&iris=true"
    for method in ("GET", "HEAD"):
        response = annotation_api.send(method, url)
        assert response.status_code == 404, (method, response.content)
    assert "pages run from 0 to 0" in annotation_api.send("GET", url).json()["error"]


def test_a_malformed_annotation_id_is_a_json_404(annotation_api, article):
    response = annotation_api.send("GET", annotation_api.container(article) + "not-a-uuid")
    assert response.status_code == 404
    assert "UUID" in response.json()["error"]
