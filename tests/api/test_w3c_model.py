"""Everything the API serves passes the W3C Web Annotation data-model suite's MUST assertions."""

import pytest

from annotations.models import Annotation
from annotations.writing import create_reply
from seminars.models import Membership, Seminar
from tests.annotations.factories import note_on_article, note_on_quote, note_on_range, text_of

pytestmark = pytest.mark.django_db

LDP = "http://www.w3.org/ns/ldp#"


@pytest.fixture(scope="module")
def suite(w3c_script):
    validate_model = w3c_script("validate_model")
    return validate_model, validate_model.load_suite(str(validate_model.folder / "web-annotation-tests"))


def must_failures(suite, instance):
    """The MUST assertions the instance fails; prints the tally like validate_model.py does."""
    validate_model, (registry, by_path, tests) = suite
    results = list(validate_model.run(instance, registry, by_path, tests))
    assert results, "the suite ran no assertion"
    failed = {
        level: [path for _, path, kind, ok, _ in results if kind == level and not ok] for level in ("must", "should")
    }
    print(f"{instance.get('type')}: {len(results)} assertions; MUST failed: {failed['must']}")
    print(f"    SHOULD unmet: {failed['should']}")
    return failed["must"]


def embedded(part, document):
    """An object embedded in a document, with the document's @context, which applies to it."""
    assert "@context" not in part
    return {"@context": document["@context"], **part}


@pytest.fixture
def served(annotation_api, article, alice, issue_token):
    """Every kind of annotation, as the API serves it to its author."""
    first, second = text_of(article).paragraphs[1:3]
    kinds = {
        "one paragraph, comment and tags": note_on_quote(
            alice, article, "abrupt policy changes", comment="Why *abrupt*?", tags=["policy", "Pace"]
        ),
        "across paragraphs": note_on_range(alice, article, first.key, 50, second.key, 9),
        "whole article": note_on_article(alice, article, comment="On the whole.", visibility="public"),
        "orphaned": note_on_quote(alice, article, "unpredictability", comment="Lost"),
        "tags only": note_on_quote(alice, article, "mysteries", tags=["mystery"]),
        "no body": note_on_quote(alice, article, "Basically"),
        "canonical and via": note_on_article(
            alice, article, canonical="urn:uuid:0c4f0f6e-0000-4000-8000-000000000000", via="https://e.org/1"
        ),
    }
    kinds["reply"] = create_reply(alice, kinds["whole article"], comment="And a second thought.")
    seminar = Seminar.objects.create(slug="korea", name="Korea")
    Membership.objects.create(seminar=seminar, user=alice)
    kinds["seminar"] = note_on_article(alice, article, visibility="seminar", seminar=seminar)
    Annotation.objects.filter(pk=kinds["orphaned"].pk).update(
        anchor_status="orphaned", start_paragraph=None, end_paragraph=None
    )
    token = issue_token(alice)
    return {
        name: annotation_api.send("GET", annotation_api.item(note), token=token).json() for name, note in kinds.items()
    }


@pytest.mark.parametrize(
    "kind",
    [
        "one paragraph, comment and tags",
        "across paragraphs",
        "whole article",
        "orphaned",
        "tags only",
        "no body",
        "canonical and via",
        "reply",
        "seminar",
    ],
)
def test_every_kind_of_annotation_passes_the_data_model_musts(suite, served, kind):
    assert must_failures(suite, served[kind]) == []


@pytest.mark.parametrize(
    "prefer",
    [None, "PreferMinimalContainer", "PreferContainedIRIs", "PreferContainedDescriptions"],
)
def test_the_collection_passes_the_data_model_musts(suite, served, annotation_api, article, alice, issue_token, prefer):
    headers = {"Prefer": f'return=representation;include="{LDP}{prefer}"'} if prefer else {}
    url = annotation_api.container(article)
    collection = annotation_api.send("GET", url, token=issue_token(alice), **headers).json()
    assert collection["total"] == len(served)
    assert must_failures(suite, collection) == []
    if isinstance(collection["first"], dict):
        assert must_failures(suite, embedded(collection["first"], collection)) == []


@pytest.mark.parametrize("query", ["?page=0", "?page=0&iris=1"])
def test_a_page_and_its_items_pass_the_data_model_musts(
    suite, served, annotation_api, article, alice, issue_token, query
):
    page = annotation_api.send("GET", annotation_api.container(article) + query, token=issue_token(alice)).json()
    assert len(page["items"]) == len(served)
    assert must_failures(suite, page) == []
    for item in page["items"]:
        if isinstance(item, dict):
            assert must_failures(suite, embedded(item, page)) == []


def test_an_empty_collection_passes_the_data_model_musts(suite, annotation_api, article):
    assert must_failures(suite, annotation_api.send("GET", annotation_api.container(article)).json()) == []
